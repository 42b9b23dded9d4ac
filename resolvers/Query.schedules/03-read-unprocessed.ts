/*
 * schedules step 3: DynamoDB may leave keys of a batch unprocessed (throttling); they are read
 * once more, and a page still incomplete after that is refused rather than shown with holes.
 */
import { runtime, util, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { batchReadRequest, collectBatch, tableNameFrom } from '../lib/batch-read.js';
import { failOnError } from '../lib/common.js';
import type { HistoryStash } from '../lib/history-stash.js';

/** Reads the unprocessed keys, when there are any. */
export function request(ctx: Context<unknown, HistoryStash>): DynamoDBBatchGetItemRequest {
  if (ctx.stash.unprocessed.length === 0) {
    return runtime.earlyReturn(null);
  }
  return batchReadRequest(tableNameFrom(ctx.env), ctx.stash.unprocessed);
}

/** Keeps what was read; fails when DynamoDB still left keys unprocessed. */
export function response(ctx: Context<unknown, HistoryStash>): null {
  failOnError(ctx.error);
  collectBatch(ctx.stash, tableNameFrom(ctx.env), ctx.result);
  if (ctx.stash.unprocessed.length > 0) {
    util.error(
      `DynamoDB left ${ctx.stash.unprocessed.length} schedules of this page unread; retry`,
      'DynamoDB:ProvisionedThroughputExceededException',
    );
  }
  return null;
}
