/*
 * createSchedule step 1: a consistent read of the clientToken record decides between a first
 * attempt, a replay of the same request, and a conflicting reuse of the token.
 */
import { runtime, util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { ErrorType } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import type { ClientTokenRecord, CreateScheduleStash } from '../lib/create-stash.js';

/** Reads the idempotency record; skipped when the request has no clientToken. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBGetItemRequest {
  const tokenKey = ctx.stash.tokenKey;
  if (tokenKey === undefined || tokenKey === null) {
    return runtime.earlyReturn(null);
  }
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: tokenKey.pk, sk: tokenKey.sk }),
    consistentRead: true,
  };
}

/** Marks a replay when the stored request matches; refuses a token reused for another request. */
export function response(ctx: Context<unknown, CreateScheduleStash>): null {
  failOnError(ctx.error);
  const record = ctx.result as ClientTokenRecord | null | undefined;
  if (record === undefined || record === null) {
    return null;
  }
  if (
    record.requestDue !== ctx.stash.requestDue ||
    record.item.payload !== ctx.stash.item.payload
  ) {
    util.error(
      `clientToken ${String(ctx.stash.item.clientToken)} was already used for a different request (schedule ${record.scheduleId})`,
      ErrorType.idempotencyConflict,
    );
  }
  ctx.stash.replay = record.item;
  return null;
}
