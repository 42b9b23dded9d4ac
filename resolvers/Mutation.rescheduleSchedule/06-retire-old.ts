/*
 * rescheduleSchedule step 6: retires O towards N, the deciding write. Once it succeeds O can
 * never fire (a claim needs PENDING or QUEUED) and N is the schedule.
 */
import { util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import type { ScheduleItem } from '../../src/domain/index.js';
import { failOnError, isConditionFailure, settingsFrom } from '../lib/common.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';
import { retireRequest } from '../lib/supersede.js';

/** RESCHEDULED for O, only while it is the caller's and live. */
export function request(ctx: Context<unknown, RescheduleStash>): DynamoDBUpdateItemRequest {
  return retireRequest(
    ctx.stash.old as ScheduleItem,
    ctx.stash.item as ScheduleItem,
    util.time.nowEpochMilliSeconds(),
    settingsFrom(ctx.env).finishedRetentionDays,
  );
}

/** Notes the outcome; a failed condition is explained by step 8. */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  if (isConditionFailure(ctx.error)) {
    ctx.stash.retired = false;
    return null;
  }
  failOnError(ctx.error);
  ctx.stash.retired = true;
  return null;
}
