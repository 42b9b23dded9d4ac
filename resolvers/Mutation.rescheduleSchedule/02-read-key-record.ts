/*
 * rescheduleSchedule step 2: reads the key record. By key it starts the lookup; by id it tells
 * which schedule the record names, so step 9 can move a lagging record straight to the new item.
 */
import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { ScheduleKeyRecord } from '../../src/domain/index.js';
import { failOnError, settingsFrom } from '../lib/common.js';
import { afterKeyRecord, keyRecordRequest } from '../lib/key-lookup.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';

/** Reads the key record; skipped for a schedule without a key. */
export function request(ctx: Context<unknown, RescheduleStash>): DynamoDBGetItemRequest {
  const lookup = ctx.stash.lookup;
  if (lookup === undefined || lookup === null) {
    return runtime.earlyReturn(null);
  }
  return keyRecordRequest(lookup);
}

/** Notes the named schedule; by key, step 3 reads it. */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  failOnError(ctx.error);
  const lookup = ctx.stash.lookup;
  if (lookup !== undefined && lookup !== null) {
    const width = settingsFrom(ctx.env).bucketWidthSeconds;
    const target = afterKeyRecord(lookup, ctx.result as ScheduleKeyRecord | null, width);
    ctx.stash.recordTarget = ctx.stash.old ? null : target;
  }
  return null;
}
