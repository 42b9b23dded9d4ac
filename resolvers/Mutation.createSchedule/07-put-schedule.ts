/*
 * createSchedule step 7: writes the schedule item; under REPLACE unconfirmed (`supersedes`, not
 * listed) until step 8 retires the holder. On a replay the same put heals a crash between the
 * token record and the item; a condition failure then means the item exists. A recorded item older
 * than the retention period is never put again: if it is gone, it finished and expired.
 */
import { runtime, util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { type ScheduleItem } from '../../src/domain/index.js';
import { failOnError, isConditionFailure } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';
import { putNewItemRequest, unconfirmedItem } from '../lib/supersede.js';

/** Puts the planned (or replayed) item unless one with its key exists. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBPutItemRequest {
  if (ctx.stash.done) {
    return runtime.earlyReturn(null);
  }
  const replayed = ctx.stash.replay;
  if (
    replayed &&
    util.time.parseISO8601ToEpochMilliSeconds(replayed.createdAt) < ctx.stash.expiredBeforeMs
  ) {
    ctx.stash.healExpired = true;
  }
  if (replayed && (ctx.stash.healBlocked || ctx.stash.healExpired)) {
    ctx.stash.created = false;
    return runtime.earlyReturn(null);
  }
  const replacing = ctx.stash.replacing;
  const item = ctx.stash.replay ?? ctx.stash.item;
  return putNewItemRequest(
    replacing === undefined || replacing === null ? item : unconfirmedItem(item, replacing.id),
  );
}

/**
 * Records whether this request created the item, which decides the SQS hand-over. Outside a
 * replay the id was minted by this request, so an existing item can only be this request's own
 * put whose answer was lost and whose retry then failed the condition: it counts as created, and
 * the fast path still hands it to the delay queue instead of leaving it to the stranded sweep.
 */
export function response(ctx: Context<unknown, CreateScheduleStash>): ScheduleItem | null {
  if (ctx.stash.done || (ctx.stash.replay && (ctx.stash.healBlocked || ctx.stash.healExpired))) {
    return null;
  }
  if (isConditionFailure(ctx.error) && ctx.stash.replay) {
    ctx.stash.created = false;
    return null;
  }
  if (!isConditionFailure(ctx.error)) {
    failOnError(ctx.error);
  }
  ctx.stash.created = true;
  ctx.stash.schedule = ctx.stash.replay ?? ctx.stash.item;
  return ctx.stash.schedule;
}
