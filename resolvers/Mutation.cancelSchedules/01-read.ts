/*
 * cancelSchedules step 1: one consistent BatchGetItem of the ids. Missing, another owner's,
 * fired, firing, cancelled and rescheduled are final, so their errors are decided here and no
 * write is spent on them; live ones (and any the batch left unprocessed) go to the conditional
 * cancel in the field resolvers, which alone decide a success.
 */
import { runtime, util, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { batchReadRequest } from '../lib/batch-read.js';
import type { ScheduleItem, ScheduleKey } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import { addUniqueKey, batchData, findByKey } from '../lib/bulk-create.js';
import { refusal } from '../lib/bulk-cancel.js';
import type { CancelSchedulesStash } from './index.js';

/** Reads every id that is one of ours; skipped when none is. */
export function request(ctx: Context<unknown, CancelSchedulesStash>): DynamoDBBatchGetItemRequest {
  const keys: ScheduleKey[] = [];
  for (const element of ctx.stash.elements) {
    if (element.key && !element.error) {
      addUniqueKey(keys, element.key);
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

/** Decides the ids in a final state. */
export function response(ctx: Context<unknown, CancelSchedulesStash>): null {
  failOnError(ctx.error);
  const found = batchData<ScheduleItem>(ctx.result, ctx.stash.tableName);
  const left =
    (ctx.result as { unprocessedKeys?: Record<string, ScheduleKey[]> } | null)?.unprocessedKeys?.[
      ctx.stash.tableName
    ] ?? [];
  for (const element of ctx.stash.elements) {
    const key = element.key;
    if (key && !element.error && findByKey(left, key) === null) {
      const error = refusal(findByKey(found, key), element);
      if (error !== null) {
        element.error = error;
      }
    }
  }
  return null;
}
