/*
 * createSchedule step 10: the fast path hands the new schedule to the delay queue (SQS
 * SendMessage over the HTTP data source, JSON protocol). A failed send does not fail the
 * mutation: the schedule is stored as QUEUED and the feeder's stranded-hand-over sweep re-sends it.
 */
import { runtime, util, type Context, type HTTPRequest } from '@aws-appsync/utils';
import { Status } from '../../src/domain/index.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';
import { dueMs, messageSent, sendMessageRequest } from '../lib/supersede.js';

/** SendMessage for a QUEUED item this request created (and confirmed); skipped otherwise. */
export function request(ctx: Context<unknown, CreateScheduleStash>): HTTPRequest<string> {
  const item = ctx.stash.replay ?? ctx.stash.item;
  if (ctx.stash.done || !ctx.stash.created || item.status !== Status.queued) {
    return runtime.earlyReturn(null);
  }
  return sendMessageRequest(
    ctx.env['DELAY_QUEUE_URL'],
    item.id,
    dueMs(item),
    util.time.nowEpochMilliSeconds(),
  );
}

/** Notes a failed hand-over and still lets the mutation return the accepted schedule. */
export function response(ctx: Context<unknown, CreateScheduleStash>): null {
  if (!messageSent(ctx.error, ctx.result)) {
    ctx.stash.sendFailed = true;
  }
  return null;
}
