/*
 * rescheduleSchedule step 4 (by key): reads the replacement of a RESCHEDULED schedule (one hop)
 * and settles which live schedule the key names, or why there is none.
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

/** By key: the live holder becomes O; no holder is NotFound, or the last one's state. */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  failOnError(ctx.error);
  const lookup = ctx.stash.lookup;
  if (ctx.stash.old || lookup === undefined || lookup === null) {
    return null;
  }
  if (lookup.hopKey) {
    const width = settingsFrom(ctx.env).bucketWidthSeconds;
    afterScheduleRead(lookup, ctx.result as ScheduleItem | null | undefined, width);
  }
  const holder = liveHolder(lookup);
  if (holder !== null) {
    ctx.stash.old = holder;
    return null;
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
