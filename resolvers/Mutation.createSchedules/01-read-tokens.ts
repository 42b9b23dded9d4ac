/*
 * createSchedules step 1: one consistent BatchGetItem of the clientToken records and of the items
 * at the ids derived from them. A record decides between a replay and a conflicting reuse of the
 * token; an item already at a derived id is an earlier attempt's, or, if it is not this owner's
 * schedule with this token, a collision that this input must not overwrite.
 */
import { runtime, util, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { batchReadRequest } from '../lib/batch-read.js';
import { ErrorType, type ScheduleItem, type ScheduleKey } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import type { ClientTokenRecord } from '../lib/create-stash.js';
import {
  addUniqueKey,
  batchData,
  findByKey,
  isOpen,
  type BulkCreateEntry,
  type BulkCreateStash,
} from '../lib/bulk-create.js';

function keyOf(item: ScheduleItem): ScheduleKey {
  return { pk: item.pk, sk: item.sk };
}

/**
 * Reads the token records and derived items of the inputs with a clientToken; skipped without any.
 * Inputs without a token are new: they are marked here, since a skipped read skips the response.
 */
export function request(ctx: Context<unknown, BulkCreateStash>): DynamoDBBatchGetItemRequest {
  const keys: ScheduleKey[] = [];
  for (const entry of ctx.stash.entries) {
    if (isOpen(entry) && !entry.tokenKey) {
      entry.write = true;
    }
    if (isOpen(entry) && entry.tokenKey && entry.item) {
      addUniqueKey(keys, entry.tokenKey);
      addUniqueKey(keys, keyOf(entry.item));
    }
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

function judge(
  entry: BulkCreateEntry,
  record: ClientTokenRecord | null,
  existing: ScheduleItem | null,
  owner: string,
): void {
  const item = entry.item as ScheduleItem;
  const token = String(item.clientToken);
  if (record !== null) {
    if (record.requestDue !== entry.requestDue || record.item.payload !== item.payload) {
      entry.error = {
        errorType: ErrorType.idempotencyConflict,
        message: `inputs[${entry.index}].clientToken ${token} was already used for a different request (schedule ${record.scheduleId})`,
      };
      return;
    }
    entry.replay = record.item;
    if (existing !== null && existing.id === record.item.id) {
      entry.schedule = existing;
    }
    return;
  }
  if (existing === null) {
    entry.write = true;
    entry.writeToken = true;
    return;
  }
  if (existing.owner === owner && existing.clientToken === token) {
    // The token record has expired while the schedule has not: the schedule as it is now.
    entry.schedule = existing;
    return;
  }
  entry.error = {
    errorType: ErrorType.conflict,
    message: `inputs[${entry.index}].clientToken ${token} leads to id ${item.id}, which another schedule holds; use another clientToken`,
  };
}

/** Marks each input as new, a replay, or an item error. */
export function response(ctx: Context<unknown, BulkCreateStash>): null {
  failOnError(ctx.error);
  const found = batchData<Record<string, unknown>>(ctx.result, ctx.stash.tableName);
  const left = (ctx.result as { unprocessedKeys?: Record<string, unknown[]> } | null)
    ?.unprocessedKeys?.[ctx.stash.tableName];
  if (left !== undefined && left.length > 0) {
    // Nothing is written yet, so failing the call is safe; the caller retries it whole.
    util.error(
      `DynamoDB left ${left.length} clientToken reads unprocessed (throttled); nothing was created, retry`,
      'DynamoDB:ProvisionedThroughputExceededException',
    );
  }
  for (const entry of ctx.stash.entries) {
    if (isOpen(entry) && entry.tokenKey) {
      const record = findByKey(found, entry.tokenKey) as ClientTokenRecord | null;
      const existing = findByKey(found, keyOf(entry.item as ScheduleItem)) as ScheduleItem | null;
      judge(entry, record, existing, ctx.stash.owner);
    }
  }
  return null;
}
