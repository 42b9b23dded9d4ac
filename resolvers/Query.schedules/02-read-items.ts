/* schedules step 2: the page's items, in one BatchGetItem (the index holds keys only). */
import { runtime, util, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { batchReadRequest, collectBatch, tableNameFrom } from '../lib/batch-read.js';
import { failOnError } from '../lib/common.js';
import type { HistoryStash } from '../lib/history-stash.js';

/** Reads every item of the page; nothing to read on an empty page. */
export function request(ctx: Context<unknown, HistoryStash>): DynamoDBBatchGetItemRequest {
  ctx.stash.found = {};
  ctx.stash.unprocessed = [];
  if (ctx.stash.keys.length === 0) {
    return runtime.earlyReturn(null);
  }
  const keys = ctx.stash.keys.map((key) => util.dynamodb.toMapValues({ pk: key.pk, sk: key.sk }));
  return batchReadRequest(tableNameFrom(ctx.env), keys);
}

/** Keeps what was read and the keys left unprocessed. */
export function response(ctx: Context<unknown, HistoryStash>): null {
  failOnError(ctx.error);
  collectBatch(ctx.stash, tableNameFrom(ctx.env), ctx.result);
  return null;
}
