/* createSchedules step 5: SendMessageBatch of fast-path items 1 to 10 (see lib/bulk-send.ts). */
import type { Context, HTTPRequest } from '@aws-appsync/utils';
import type { BulkCreateStash } from '../lib/bulk-create.js';
import { sendBatchRequest, sendBatchResponse } from '../lib/bulk-send.js';

/** Sends group 1 of the fast-path items; skipped when there is none. */
export function request(ctx: Context<unknown, BulkCreateStash>): HTTPRequest<string> {
  return sendBatchRequest(ctx, 0);
}

/** Never fails the mutation: a failed hand-over is left to the feeder's stranded sweep. */
export function response(ctx: Context<unknown, BulkCreateStash>): null {
  return sendBatchResponse(ctx);
}
