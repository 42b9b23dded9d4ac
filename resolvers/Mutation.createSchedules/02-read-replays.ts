/*
 * createSchedules step 2: a replay returns the schedule as it is now, so the items the token
 * records name are read (those step 1 has not already seen). A recorded item that is missing was
 * never written (the first attempt failed between its two writes) if it is younger than the
 * retention period: it is put now. An older one may have expired after finishing, and putting it
 * again could revive a cancelled schedule, so the recorded copy is returned instead.
 */
import { runtime, util, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { batchReadRequest } from '../lib/batch-read.js';
import type { ScheduleItem, ScheduleKey } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import {
  addUniqueKey,
  batchData,
  findByKey,
  isOpen,
  type BulkCreateEntry,
  type BulkCreateStash,
} from '../lib/bulk-create.js';

const DAY_MS = 86_400_000;

function waitingReplays(entries: readonly BulkCreateEntry[]): BulkCreateEntry[] {
  const waiting: BulkCreateEntry[] = [];
  for (const entry of entries) {
    if (isOpen(entry) && entry.replay && !entry.schedule) {
      waiting.push(entry);
    }
  }
  return waiting;
}

/** Reads the replayed items; skipped when there are none. */
export function request(ctx: Context<unknown, BulkCreateStash>): DynamoDBBatchGetItemRequest {
  const keys: ScheduleKey[] = [];
  for (const entry of waitingReplays(ctx.stash.entries)) {
    const replay = entry.replay as ScheduleItem;
    addUniqueKey(keys, { pk: replay.pk, sk: replay.sk });
  }
  if (keys.length === 0) {
    return runtime.earlyReturn(null);
  }
  return batchReadRequest(
    ctx.stash.tableName,
    keys.map((key) => util.dynamodb.toMapValues({ pk: key.pk, sk: key.sk })),
    true,
  );
}

/** The current item, a missing young one to put again, or the recorded copy. */
export function response(ctx: Context<unknown, BulkCreateStash>): null {
  failOnError(ctx.error);
  const left = (ctx.result as { unprocessedKeys?: Record<string, unknown[]> } | null)
    ?.unprocessedKeys?.[ctx.stash.tableName];
  if (left !== undefined && left.length > 0) {
    util.error(
      `DynamoDB left ${left.length} schedule reads unprocessed (throttled); nothing was created, retry`,
      'DynamoDB:ProvisionedThroughputExceededException',
    );
  }
  const found = batchData<ScheduleItem>(ctx.result, ctx.stash.tableName);
  const retentionMs = ctx.stash.finishedRetentionDays * DAY_MS;
  for (const entry of waitingReplays(ctx.stash.entries)) {
    const replay = entry.replay as ScheduleItem;
    const current = findByKey(found, { pk: replay.pk, sk: replay.sk });
    if (current !== null) {
      entry.schedule = current;
    } else if (
      ctx.stash.nowMs <
      util.time.parseISO8601ToEpochMilliSeconds(replay.createdAt) + retentionMs
    ) {
      entry.item = replay;
      entry.write = true;
    } else {
      entry.schedule = replay;
    }
  }
  return null;
}
