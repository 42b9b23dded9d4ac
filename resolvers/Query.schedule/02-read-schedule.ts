/*
 * schedule step 2: by id, the item at the key the id encodes; by key, the schedule the key record
 * names. Another owner's item reads as nothing.
 */
import { runtime, util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { ScheduleItem } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import { afterScheduleStep, namedScheduleStep } from '../lib/lookup-steps.js';
import type { ScheduleQueryStash } from '../lib/schedule-query-stash.js';

/** One read; an id that is not one of ours returns nothing without a read. */
export function request(ctx: Context<unknown, ScheduleQueryStash>): DynamoDBGetItemRequest {
  if (ctx.stash.lookup !== undefined) {
    return namedScheduleStep(ctx);
  }
  const key = ctx.stash.idKey;
  if (key === undefined || key === null) {
    return runtime.earlyReturn(null);
  }
  return { operation: 'GetItem', key: util.dynamodb.toMapValues({ pk: key.pk, sk: key.sk }) };
}

/** Keeps the item when it is the caller's. */
export function response(ctx: Context<unknown, ScheduleQueryStash>): null {
  if (ctx.stash.lookup !== undefined) {
    return afterScheduleStep(ctx);
  }
  failOnError(ctx.error);
  const item = ctx.result as ScheduleItem | null | undefined;
  ctx.stash.schedule =
    item !== undefined && item !== null && item.owner === ctx.stash.owner ? item : null;
  return null;
}
