/* rescheduleSchedule step 3 (by key): reads the schedule the key record names. */
import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { ScheduleItem } from '../../src/domain/index.js';
import { failOnError, settingsFrom } from '../lib/common.js';
import { afterScheduleRead, scheduleReadRequest } from '../lib/key-lookup.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';

/** Reads the named schedule; skipped by id or without a record. */
export function request(ctx: Context<unknown, RescheduleStash>): DynamoDBGetItemRequest {
  return scheduleReadRequest(ctx.stash.recordTarget);
}

/** Records it; a RESCHEDULED one leaves its replacement for step 4. */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  failOnError(ctx.error);
  const lookup = ctx.stash.lookup;
  if (lookup !== undefined && lookup !== null && ctx.stash.recordTarget) {
    const width = settingsFrom(ctx.env).bucketWidthSeconds;
    afterScheduleRead(lookup, ctx.result as ScheduleItem | null | undefined, width);
  }
  return null;
}
