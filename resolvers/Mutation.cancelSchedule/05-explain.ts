/*
 * cancelSchedule step 5: runs only when the conditional update failed, and turns the current
 * item into the right error. Missing and another owner's give the same NotFoundError.
 */
import { runtime, util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { ErrorType, Status, type ScheduleItem } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import type { CancelScheduleStash } from '../lib/cancel-stash.js';

/** Reads the item the update could not cancel. */
export function request(ctx: Context<unknown, CancelScheduleStash>): DynamoDBGetItemRequest {
  if (ctx.stash.schedule) {
    return runtime.earlyReturn(ctx.stash.schedule);
  }
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: ctx.stash.key.pk, sk: ctx.stash.key.sk }),
    consistentRead: true,
  };
}

/**
 * Explains the refusal: not found, already fired (or firing), already cancelled, rescheduled (to
 * the id named), or a race to retry. An item
 * cancelled at this request's own cancelledAt was cancelled by this request: the update landed,
 * its answer was lost and the data source's retry failed the condition. That is a success.
 */
export function response(ctx: Context<unknown, CancelScheduleStash>): ScheduleItem | null {
  failOnError(ctx.error);
  const item = ctx.result as ScheduleItem | null | undefined;
  const id = ctx.stash.key.sk.slice(ctx.stash.key.sk.indexOf('#') + 1);
  if (item === undefined || item === null || item.owner !== ctx.stash.owner) {
    util.error(`No schedule with id ${id}`, ErrorType.notFound);
  }
  // A FIRING schedule is claimed and being delivered: a channel may already have it.
  if (item.status === Status.fired || item.status === Status.firing) {
    util.error(
      `Schedule ${id} has already fired at ${String(item.firedAt)}`,
      ErrorType.alreadyFired,
    );
  }
  if (item.status === Status.cancelled && item.cancelledAt === ctx.stash.cancelledAt) {
    ctx.stash.schedule = item;
    return item;
  }
  if (item.status === Status.cancelled) {
    util.error(
      `Schedule ${id} was already cancelled at ${String(item.cancelledAt)}`,
      ErrorType.alreadyCancelled,
    );
  }
  if (item.status === Status.rescheduled) {
    util.error(
      `Schedule ${id} was rescheduled; it is now ${String(item.rescheduledTo)}: retry with the key or the new id`,
      ErrorType.conflict,
    );
  }
  return util.error(`Schedule ${id} changed while cancelling; retry`, ErrorType.conflict);
}
