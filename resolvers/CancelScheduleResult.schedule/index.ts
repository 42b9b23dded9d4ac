/* CancelScheduleResult.schedule: the schedule this request cancelled, or null when it could not. */
import type { Context } from '@aws-appsync/utils';
import type { ScheduleItem } from '../../src/domain/index.js';
import type { BulkCancelElement, BulkCancelStash } from '../lib/bulk-cancel.js';
import { scheduleView } from '../../src/domain/index.js';

/** Nothing to prepare: the functions settle the id. */
export function request(
  _ctx: Context<unknown, BulkCancelStash, BulkCancelElement>,
): Record<string, never> {
  return {};
}

/** The cancelled schedule; null with an error. */
export function response(
  ctx: Context<unknown, BulkCancelStash, BulkCancelElement>,
): ScheduleItem | null {
  const schedule = ctx.stash.schedule;
  return ctx.stash.error || !schedule ? null : scheduleView(schedule);
}
