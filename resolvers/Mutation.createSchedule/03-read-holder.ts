/* createSchedule step 3: reads the schedule the key record names. */
import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { failOnError, settingsFrom } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';
import { afterScheduleRead, scheduleReadRequest } from '../lib/key-lookup.js';
import type { ScheduleItem } from '../../src/domain/index.js';

/** Reads the named schedule; skipped without a key record. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBGetItemRequest {
  return scheduleReadRequest(ctx.stash.recordTarget);
}

/** Records it; a RESCHEDULED one leaves its replacement for step 4. */
export function response(ctx: Context<unknown, CreateScheduleStash>): null {
  failOnError(ctx.error);
  const lookup = ctx.stash.lookup;
  if (lookup !== undefined && lookup !== null && ctx.stash.recordTarget) {
    const width = settingsFrom(ctx.env).bucketWidthSeconds;
    afterScheduleRead(lookup, ctx.result as ScheduleItem | null | undefined, width);
  }
  return null;
}
