/*
 * createSchedule step 9: under REPLACE, confirms the new item once the holder is retired, or
 * deletes it when the holder could not be retired. A replay that found its item in place reads
 * it instead, to return the schedule as it is now (it may have been queued, fired or cancelled).
 */
import {
  runtime,
  util,
  type Context,
  type DynamoDBDeleteItemRequest,
  type DynamoDBGetItemRequest,
  type DynamoDBUpdateItemRequest,
} from '@aws-appsync/utils';
import { ErrorType, type ScheduleItem } from '../../src/domain/index.js';
import { failOnError, isConditionFailure } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';
import { confirmRequest, discardRequest } from '../lib/supersede.js';

/** Confirm, delete, or read; skipped when there is nothing to settle. */
export function request(
  ctx: Context<unknown, CreateScheduleStash>,
): DynamoDBUpdateItemRequest | DynamoDBDeleteItemRequest | DynamoDBGetItemRequest {
  const holder = ctx.stash.replacing;
  if (holder !== undefined && holder !== null && ctx.stash.created) {
    return ctx.stash.retired
      ? confirmRequest(ctx.stash.item, holder.id)
      : discardRequest(ctx.stash.item, holder.id);
  }
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

/** The confirmed new item, the replay's current item, or the error that explains a refusal. */
export function response(ctx: Context<unknown, CreateScheduleStash>): ScheduleItem | null {
  const holder = ctx.stash.replacing;
  if (holder !== undefined && holder !== null && ctx.stash.created) {
    // A failed confirm means the dispatcher confirmed it first; a failed delete, that it voided it.
    if (!isConditionFailure(ctx.error)) {
      failOnError(ctx.error);
    }
    if (!ctx.stash.retired) {
      util.error(
        `key ${JSON.stringify(holder.key)}: schedule ${holder.id} stopped being live (fired, cancelled or replaced) while this request replaced it; retry${ctx.stash.tokenKey ? ' with a new clientToken' : ''}`,
        ErrorType.conflict,
      );
    }
    ctx.stash.schedule = ctx.stash.item;
    return ctx.stash.schedule;
  }
  const replay = ctx.stash.replay;
  if (replay === undefined || replay === null || ctx.stash.created) {
    return null;
  }
  failOnError(ctx.error);
  const current = ctx.result as ScheduleItem | null | undefined;
  if ((current === undefined || current === null) && ctx.stash.healBlocked) {
    util.error(
      `clientToken ${String(replay.clientToken)}: the first attempt did not complete and key ${JSON.stringify(replay.key)} has moved on since; retry with a new clientToken`,
      ErrorType.conflict,
    );
  }
  if ((current === undefined || current === null) && ctx.stash.healExpired) {
    util.error(
      `clientToken ${String(replay.clientToken)}: schedule ${replay.id} has finished and expired; retry with a new clientToken`,
      ErrorType.notFound,
    );
  }
  ctx.stash.schedule = current ?? replay;
  return ctx.stash.schedule;
}
