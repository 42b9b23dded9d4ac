/*
 * The three reads of a by-key lookup as pipeline steps (key record, the schedule it names, its
 * replacement when that one was rescheduled), shared by every pipeline that accepts `key`. A
 * request made by id has no `lookup` in the stash, and each step then skips itself.
 */
import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { ScheduleItem, ScheduleKey, ScheduleKeyRecord } from '../../src/domain/index.js';
import { failOnError, settingsFrom } from './common.js';
import {
  afterKeyRecord,
  afterScheduleRead,
  keyRecordRequest,
  scheduleReadRequest,
  type KeyLookup,
} from './key-lookup.js';

/** What the lookup steps keep in `ctx.stash`. */
export interface LookupStash {
  /** Set when the caller named a key; absent for a request by id. */
  lookup?: KeyLookup;
  /** The schedule the key record names, once read. */
  namedKey?: ScheduleKey | null;
}

/** Step 1, request: a consistent read of the key record. */
export function keyRecordStep(ctx: Context<unknown, LookupStash>): DynamoDBGetItemRequest {
  const lookup = ctx.stash.lookup;
  if (lookup === undefined) {
    return runtime.earlyReturn(null);
  }
  return keyRecordRequest(lookup);
}

/** Step 1, response: notes which schedule the record names. */
export function afterKeyRecordStep(ctx: Context<unknown, LookupStash>): null {
  failOnError(ctx.error);
  const lookup = ctx.stash.lookup as KeyLookup;
  const record = ctx.result as ScheduleKeyRecord | null | undefined;
  ctx.stash.namedKey = afterKeyRecord(lookup, record, settingsFrom(ctx.env).bucketWidthSeconds);
  return null;
}

/** Step 2, request: the schedule the key record names (nothing when there is no record). */
export function namedScheduleStep(ctx: Context<unknown, LookupStash>): DynamoDBGetItemRequest {
  if (ctx.stash.lookup === undefined) {
    return runtime.earlyReturn(null);
  }
  return scheduleReadRequest(ctx.stash.namedKey);
}

/** Step 2 and 3, response: records the schedule read (and whether to hop to its replacement). */
export function afterScheduleStep(ctx: Context<unknown, LookupStash>): null {
  failOnError(ctx.error);
  afterScheduleRead(
    ctx.stash.lookup as KeyLookup,
    ctx.result as ScheduleItem | null | undefined,
    settingsFrom(ctx.env).bucketWidthSeconds,
  );
  return null;
}

/** Step 3, request: the replacement of a rescheduled schedule (one hop at most). */
export function replacementStep(ctx: Context<unknown, LookupStash>): DynamoDBGetItemRequest {
  const lookup = ctx.stash.lookup;
  if (lookup === undefined || lookup.hopKey === undefined) {
    return runtime.earlyReturn(null);
  }
  return scheduleReadRequest(lookup.hopKey);
}
