/* schedule step 1 (by key only): the key record. */
import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { afterKeyRecordStep, keyRecordStep, type LookupStash } from '../lib/lookup-steps.js';

/** Reads the key record; skipped for a request by id. */
export function request(ctx: Context<unknown, LookupStash>): DynamoDBGetItemRequest {
  return keyRecordStep(ctx);
}

/** Notes which schedule the record names. */
export function response(ctx: Context<unknown, LookupStash>): null {
  return afterKeyRecordStep(ctx);
}
