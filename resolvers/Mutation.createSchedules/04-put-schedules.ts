/*
 * createSchedules step 4: the schedule items in one BatchPutItem (no condition is possible: with a
 * clientToken the id is derived from it, so a concurrent duplicate puts the same item).
 */
import { runtime, util, type Context, type DynamoDBBatchPutItemRequest } from '@aws-appsync/utils';
import { ErrorType, type ScheduleItem } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import {
  batchUnprocessed,
  hasKey,
  isOpen,
  type BulkCreateEntry,
  type BulkCreateStash,
} from '../lib/bulk-create.js';

function itemWrites(entries: readonly BulkCreateEntry[]): BulkCreateEntry[] {
  const writes: BulkCreateEntry[] = [];
  for (const entry of entries) {
    if (isOpen(entry) && entry.write) {
      writes.push(entry);
    }
  }
  return writes;
}

/** Puts the new (or never written) items; skipped when there are none. */
export function request(ctx: Context<unknown, BulkCreateStash>): DynamoDBBatchPutItemRequest {
  const items = itemWrites(ctx.stash.entries).map((entry) =>
    util.dynamodb.toMapValues({ ...(entry.item as ScheduleItem) }),
  );
  if (items.length === 0) {
    return runtime.earlyReturn(null);
  }
  return { operation: 'BatchPutItem', tables: { [ctx.stash.tableName]: items } };
}

/** Records which items were written; an unprocessed one is an item error its retry heals. */
export function response(ctx: Context<unknown, BulkCreateStash>): null {
  failOnError(ctx.error);
  const left = batchUnprocessed<{ pk?: unknown; sk?: unknown }>(ctx.result, ctx.stash.tableName);
  for (const entry of itemWrites(ctx.stash.entries)) {
    const item = entry.item as ScheduleItem;
    if (left.some((unprocessed) => hasKey(unprocessed, item))) {
      entry.error = {
        errorType: ErrorType.conflict,
        message: `inputs[${entry.index}] was not created: DynamoDB left the schedule unprocessed (throttled); retry`,
      };
    } else {
      entry.created = true;
      entry.schedule = item;
    }
  }
  return null;
}
