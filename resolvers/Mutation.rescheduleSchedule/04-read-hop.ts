/*
 * rescheduleSchedule step 4 (by key): reads the replacement of a RESCHEDULED schedule (one hop)
 * `settleHolder`, run by step 5, says which live schedule the key names, or why there is none.
 */
import { util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { ErrorType, type ScheduleItem } from '../../src/domain/index.js';
import { failOnError, settingsFrom } from '../lib/common.js';
import { afterScheduleRead, liveHolder, scheduleReadRequest } from '../lib/key-lookup.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';
import { refuseFinished } from '../lib/supersede.js';

/** Reads the hop; skipped unless step 3 read a RESCHEDULED schedule. */
export function request(ctx: Context<unknown, RescheduleStash>): DynamoDBGetItemRequest {
  const lookup = ctx.stash.lookup;
  if (ctx.stash.old || lookup === undefined || lookup === null) {
    return scheduleReadRequest(null);
  }
  return scheduleReadRequest(lookup.hopKey);
}

/** Records the hop (a request with nothing to read skips this response). */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  failOnError(ctx.error);
  const lookup = ctx.stash.lookup;
  if (!ctx.stash.old && lookup !== undefined && lookup !== null && lookup.hopKey) {
    const width = settingsFrom(ctx.env).bucketWidthSeconds;
    afterScheduleRead(lookup, ctx.result as ScheduleItem | null | undefined, width);
  }
  return null;
}

/**
 * By key, once the lookup is complete: the live holder becomes O; with none, NotFoundError naming
 * the key, or the last schedule's state (fired, cancelled, moved again meanwhile).
 */
export function settleHolder(stash: RescheduleStash): ScheduleItem {
  const lookup = stash.lookup;
  if (stash.old || lookup === undefined || lookup === null) {
    return stash.old as ScheduleItem;
  }
  const holder = liveHolder(lookup);
  if (holder !== null) {
    stash.old = holder;
    return holder;
  }
  const last = lookup.schedule;
  if (last === undefined) {
    return util.error(
      `No live schedule with key ${JSON.stringify(lookup.key)}`,
      ErrorType.notFound,
    );
  }
  return refuseFinished(last, `Schedule ${last.id} (key ${JSON.stringify(lookup.key)})`);
}
