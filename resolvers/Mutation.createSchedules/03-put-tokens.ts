/*
 * createSchedules step 3: the clientToken records of the new items, in one BatchPutItem, before
 * the items: a retry after a failure between the two writes then finds the record and puts the
 * item it names (step 2), instead of creating a second schedule under a new id.
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

function tokenWrites(entries: readonly BulkCreateEntry[]): BulkCreateEntry[] {
  const writes: BulkCreateEntry[] = [];
  for (const entry of entries) {
    if (isOpen(entry) && entry.write && entry.writeToken) {
      writes.push(entry);
    }
  }
  return writes;
}

/** Puts the token records of the new items; skipped when there are none. */
export function request(ctx: Context<unknown, BulkCreateStash>): DynamoDBBatchPutItemRequest {
  const records = tokenWrites(ctx.stash.entries).map((entry) => {
    const item = entry.item as ScheduleItem;
    return util.dynamodb.toMapValues({
      pk: entry.tokenKey?.pk,
      sk: entry.tokenKey?.sk,
      scheduleId: item.id,
      requestDue: entry.requestDue,
      item,
      ttl: entry.tokenTtl,
    });
  });
  if (records.length === 0) {
    return runtime.earlyReturn(null);
  }
  return { operation: 'BatchPutItem', tables: { [ctx.stash.tableName]: records } };
}

/** An input whose record DynamoDB left unprocessed is not created (its retry starts afresh). */
export function response(ctx: Context<unknown, BulkCreateStash>): null {
  failOnError(ctx.error);
  const left = batchUnprocessed<{ pk?: unknown; sk?: unknown }>(ctx.result, ctx.stash.tableName);
  for (const entry of tokenWrites(ctx.stash.entries)) {
    const tokenKey = entry.tokenKey;
    if (tokenKey && left.some((record) => hasKey(record, tokenKey))) {
      entry.write = false;
      entry.error = {
        errorType: ErrorType.conflict,
        message: `inputs[${entry.index}] was not created: DynamoDB left its clientToken record unprocessed (throttled); retry`,
      };
    }
  }
  return null;
}
