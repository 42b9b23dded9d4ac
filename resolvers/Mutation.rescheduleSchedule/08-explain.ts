/*
 * rescheduleSchedule step 8: runs only when O could not be retired, and turns O's current state
 * into the error: fired, cancelled, rescheduled by someone else (naming the new id), or gone.
 */
import { runtime, util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { ErrorType, type ScheduleItem } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';
import { refuseFinished } from '../lib/supersede.js';

/** Reads O again; skipped when it was retired. */
export function request(ctx: Context<unknown, RescheduleStash>): DynamoDBGetItemRequest {
  const old = ctx.stash.old as ScheduleItem;
  if (ctx.stash.retired) {
    return runtime.earlyReturn(null);
  }
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: old.pk, sk: old.sk }),
    consistentRead: true,
  };
}

/** Always an error: the refusal explained. */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  failOnError(ctx.error);
  const old = ctx.stash.old as ScheduleItem;
  const current = ctx.result as ScheduleItem | null | undefined;
  if (current === undefined || current === null || current.owner !== ctx.stash.owner) {
    return util.error(`No schedule with id ${old.id}`, ErrorType.notFound);
  }
  return refuseFinished(current, `Schedule ${old.id}`);
}
