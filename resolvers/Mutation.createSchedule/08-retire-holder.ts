/*
 * createSchedule step 8 (REPLACE): retires the live holder towards the new item. This is the
 * deciding write: once it succeeds the holder can never fire, and the new item is the key's.
 */
import { runtime, util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { failOnError, isConditionFailure, settingsFrom } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';
import { retireRequest } from '../lib/supersede.js';

/** RESCHEDULED for the holder; skipped unless this request replaces one. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBUpdateItemRequest {
  const holder = ctx.stash.replacing;
  if (holder === undefined || holder === null || !ctx.stash.created) {
    return runtime.earlyReturn(null);
  }
  return retireRequest(
    holder,
    ctx.stash.item,
    util.time.nowEpochMilliSeconds(),
    settingsFrom(ctx.env).finishedRetentionDays,
  );
}

/** Notes whether the holder was retired; a failed condition is settled by step 9. */
export function response(ctx: Context<unknown, CreateScheduleStash>): null {
  if (!ctx.stash.replacing) {
    return null;
  }
  if (isConditionFailure(ctx.error)) {
    ctx.stash.retired = false;
    return null;
  }
  failOnError(ctx.error);
  ctx.stash.retired = true;
  return null;
}
