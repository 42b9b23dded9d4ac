/*
 * createSchedule step 4: a replay returns the schedule as it is now (it may have been queued,
 * fired or cancelled since the first attempt).
 */
import { runtime, util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { ScheduleItem } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';

/** Reads the current item; skipped unless this is a replay that found the item in place. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBGetItemRequest {
  const replay = ctx.stash.replay;
  if (replay === undefined || replay === null || ctx.stash.created) {
    return runtime.earlyReturn(null);
  }
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: replay.pk, sk: replay.sk }),
    consistentRead: true,
  };
}

/** The current item, or the recorded one if it has already expired from the table. */
export function response(ctx: Context<unknown, CreateScheduleStash>): ScheduleItem | null {
  failOnError(ctx.error);
  const current = ctx.result as ScheduleItem | null | undefined;
  ctx.stash.schedule = current ?? ctx.stash.replay;
  return ctx.stash.schedule ?? null;
}
