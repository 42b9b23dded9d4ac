/*
 * createSchedule step 2: with a key, a consistent read of the key record (which schedule last
 * took the key). Replays read it too: it tells whether a lost item may still be re-put.
 */
import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { failOnError, settingsFrom } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';
import { afterKeyRecord, keyRecordRequest } from '../lib/key-lookup.js';
import type { TakenKeyRecord } from '../lib/supersede.js';

/** Reads the key record; skipped without a key. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBGetItemRequest {
  const lookup = ctx.stash.lookup;
  if (lookup === undefined || lookup === null) {
    return runtime.earlyReturn(null);
  }
  return keyRecordRequest(lookup);
}

/** Notes the schedule the record names and when it was taken. */
export function response(ctx: Context<unknown, CreateScheduleStash>): null {
  failOnError(ctx.error);
  const record = ctx.result as TakenKeyRecord | null | undefined;
  const lookup = ctx.stash.lookup;
  if (lookup !== undefined && lookup !== null) {
    const width = settingsFrom(ctx.env).bucketWidthSeconds;
    ctx.stash.recordTarget = afterKeyRecord(lookup, record, width);
    if (record !== undefined && record !== null && typeof record.takenAt === 'number') {
      ctx.stash.recordTakenAt = record.takenAt;
    }
  }
  return null;
}
