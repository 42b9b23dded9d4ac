/* schedule(id): one read by the key derived from the id; another owner's schedule is null. */
import { runtime, util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { scheduleKey, validateIdArgument, type ScheduleItem } from '../src/domain/index.js';
import type { QueryScheduleArgs } from '../src/generated/graphql.js';
import { callerOwner, failOnError, settingsFrom, valueOrFail } from './lib/common.js';

/** Reads the schedule; an id that is not one of ours returns null without a read. */
export function request(ctx: Context<QueryScheduleArgs>): DynamoDBGetItemRequest {
  const settings = settingsFrom(ctx.env);
  const id = valueOrFail(validateIdArgument('id', ctx.args.id ?? ''));
  const key = scheduleKey(id, settings.bucketWidthSeconds);
  if (key === null) {
    return runtime.earlyReturn(null);
  }
  return { operation: 'GetItem', key: util.dynamodb.toMapValues({ pk: key.pk, sk: key.sk }) };
}

/** The item when it belongs to the caller, else null. */
export function response(ctx: Context<QueryScheduleArgs>): ScheduleItem | null {
  failOnError(ctx.error);
  const item = ctx.result as ScheduleItem | null | undefined;
  if (item === undefined || item === null || item.owner !== callerOwner(ctx.identity)) {
    return null;
  }
  return item;
}
