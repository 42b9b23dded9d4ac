/* rescheduleSchedule step 1 (by id): reads the schedule to move; only a live one of the caller's moves. */
import { runtime, util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { ErrorType, isLive, type ScheduleItem } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';
import { refuseFinished } from '../lib/supersede.js';

/** A consistent read by the id's key; skipped when the schedule is named by key. */
export function request(ctx: Context<unknown, RescheduleStash>): DynamoDBGetItemRequest {
  const key = ctx.stash.idKey;
  if (key === undefined || key === null) {
    return runtime.earlyReturn(null);
  }
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: key.pk, sk: key.sk }),
    consistentRead: true,
  };
}

/** Keeps the live schedule; missing and another owner's give the same NotFoundError. */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  failOnError(ctx.error);
  const item = ctx.result as ScheduleItem | null | undefined;
  const id = String(ctx.stash.id);
  if (item === undefined || item === null || item.owner !== ctx.stash.owner) {
    return util.error(`No schedule with id ${id}`, ErrorType.notFound);
  }
  if (!isLive(item.status)) {
    refuseFinished(item, `Schedule ${id}`);
  }
  ctx.stash.old = item;
  if (item.key) {
    ctx.stash.lookup = { owner: ctx.stash.owner, key: item.key };
  }
  return null;
}
