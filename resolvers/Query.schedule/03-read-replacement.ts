/* schedule step 3 (by key only): the replacement of a rescheduled schedule, one hop. */
import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { afterScheduleStep, replacementStep, type LookupStash } from '../lib/lookup-steps.js';

/** Reads the schedule that replaced the one the key record names, when there is one. */
export function request(ctx: Context<unknown, LookupStash>): DynamoDBGetItemRequest {
  return replacementStep(ctx);
}

/** Records the replacement when it is the caller's and carries the key. */
export function response(ctx: Context<unknown, LookupStash>): null {
  return afterScheduleStep(ctx);
}
