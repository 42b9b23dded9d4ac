/*
 * rescheduleSchedule step 10: a fast-path N goes to the delay queue now. A failed send does not
 * fail the mutation: N is QUEUED and the feeder's stranded-hand-over sweep re-sends it.
 */
import { runtime, util, type Context, type HTTPRequest } from '@aws-appsync/utils';
import { Status, type ScheduleItem } from '../../src/domain/index.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';
import { dueMs, messageSent, sendMessageRequest } from '../lib/supersede.js';

/** SendMessage for a QUEUED N; skipped for a PENDING one (the feeder hands it over). */
export function request(ctx: Context<unknown, RescheduleStash>): HTTPRequest<string> {
  const item = ctx.stash.item as ScheduleItem;
  if (item.status !== Status.queued) {
    return runtime.earlyReturn(null);
  }
  return sendMessageRequest(
    ctx.env['DELAY_QUEUE_URL'],
    item.id,
    dueMs(item),
    util.time.nowEpochMilliSeconds(),
  );
}

/** Notes a failed hand-over. */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  if (!messageSent(ctx.error, ctx.result)) {
    ctx.stash.sendFailed = true;
  }
  return null;
}
