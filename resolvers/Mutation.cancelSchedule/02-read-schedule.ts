/* cancelSchedule step 2 (by key only): the schedule the key record names. */
import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { afterScheduleStep, namedScheduleStep, type LookupStash } from '../lib/lookup-steps.js';

/** Reads the schedule the key record names; skipped by id or without a record. */
export function request(ctx: Context<unknown, LookupStash>): DynamoDBGetItemRequest {
  return namedScheduleStep(ctx);
}

/** Records it, and whether it was rescheduled to another. */
export function response(ctx: Context<unknown, LookupStash>): null {
  return afterScheduleStep(ctx);
}
