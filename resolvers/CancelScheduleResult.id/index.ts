/*
 * CancelScheduleResult.id: settles the id like the element's other fields (a selection of id
 * alone still cancels), then returns it.
 */
import type { Context } from '@aws-appsync/utils';
import type { BulkCancelElement, BulkCancelStash } from '../lib/bulk-cancel.js';

/** Nothing to prepare: the functions settle the id. */
export function request(
  _ctx: Context<unknown, BulkCancelStash, BulkCancelElement>,
): Record<string, never> {
  return {};
}

/** The id asked for. */
export function response(ctx: Context<unknown, BulkCancelStash, BulkCancelElement>): string {
  return ctx.source.id;
}
