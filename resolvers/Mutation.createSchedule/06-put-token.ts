/*
 * createSchedule step 6: claims the clientToken with a conditional put before the schedule
 * exists, so two concurrent first attempts cannot both create a schedule.
 */
import { runtime, util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { ErrorType } from '../../src/domain/index.js';
import { failOnError, isConditionFailure } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';

/** Writes the idempotency record; skipped without a clientToken, on a replay or under KEEP. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBPutItemRequest {
  const tokenKey = ctx.stash.tokenKey;
  if (tokenKey === undefined || tokenKey === null || ctx.stash.replay || ctx.stash.done) {
    return runtime.earlyReturn(null);
  }
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({ pk: tokenKey.pk, sk: tokenKey.sk }),
    attributeValues: util.dynamodb.toMapValues({
      scheduleId: ctx.stash.item.id,
      requestDue: ctx.stash.requestDue,
      item: ctx.stash.item,
      ttl: ctx.stash.tokenTtl,
    }),
    // The schedule id is minted per request: a record holding it is this request's own put,
    // met again by the data source's retry after the first answer was lost.
    condition: {
      expression: 'attribute_not_exists(pk) OR scheduleId = :scheduleId',
      expressionValues: util.dynamodb.toMapValues({ ':scheduleId': ctx.stash.item.id }),
    },
  };
}

/** A lost race with a concurrent retry of the same token asks the caller to retry. */
export function response(ctx: Context<unknown, CreateScheduleStash>): null {
  if (isConditionFailure(ctx.error)) {
    util.error(
      `Another request with clientToken ${String(ctx.stash.item.clientToken)} is in progress; retry`,
      ErrorType.conflict,
    );
  }
  failOnError(ctx.error);
  return null;
}
