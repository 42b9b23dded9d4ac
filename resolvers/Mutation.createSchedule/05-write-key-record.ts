/*
 * createSchedule step 5: takes the free key for the new item before anything else is written
 * (a lost race refuses the request with nothing half-written), or moves a lagging key record
 * forward to the live holder (best effort).
 */
import { runtime, util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { ErrorType } from '../../src/domain/index.js';
import { failOnError, isConditionFailure, settingsFrom } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';
import { keyRecordPutRequest } from '../lib/supersede.js';
import { decideKey } from './04-read-hop.js';

/** Decides the key, then makes the planned key record write; skipped when none is planned. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBPutItemRequest {
  decideKey(ctx.stash, settingsFrom(ctx.env).finishedRetentionDays);
  const write = ctx.stash.keyWrite;
  const lookup = ctx.stash.lookup;
  if (write === undefined || write === null || lookup === undefined || lookup === null) {
    return runtime.earlyReturn(null);
  }
  return keyRecordPutRequest(
    lookup.owner,
    lookup.key,
    write.scheduleId,
    write.expected,
    write.ttl,
    util.time.nowEpochMilliSeconds(),
  );
}

/** A take lost to a concurrent request asks for a retry; a failed forward move is harmless. */
export function response(ctx: Context<unknown, CreateScheduleStash>): null {
  const write = ctx.stash.keyWrite;
  if (isConditionFailure(ctx.error)) {
    if (write !== undefined && write !== null && write.take) {
      util.error(
        `key ${JSON.stringify(ctx.stash.lookup?.key)} was taken by another request at the same time; retry`,
        ErrorType.conflict,
      );
    }
  } else {
    failOnError(ctx.error);
  }
  if (ctx.stash.afterKeyWrite) {
    util.error(ctx.stash.afterKeyWrite, ErrorType.conflict);
  }
  return null;
}
