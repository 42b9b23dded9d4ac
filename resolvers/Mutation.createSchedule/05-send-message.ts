/*
 * createSchedule step 5: the fast path hands the schedule to the delay queue (SQS SendMessage
 * over the HTTP data source, JSON protocol). A failed send does not fail the mutation: the
 * schedule is stored as QUEUED and the feeder's stranded-hand-over sweep re-sends it.
 */
import { runtime, util, type Context, type HTTPRequest } from '@aws-appsync/utils';
import { Status, delaySecondsUntil, type DelayMessage } from '../../src/domain/index.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';

/** SendMessage for a QUEUED item this request created; skipped otherwise. */
export function request(ctx: Context<unknown, CreateScheduleStash>): HTTPRequest<string> {
  const item = ctx.stash.replay ?? ctx.stash.item;
  if (!ctx.stash.created || item.status !== Status.queued) {
    return runtime.earlyReturn(null);
  }
  const message: DelayMessage = { id: item.id };
  return {
    method: 'POST',
    resourcePath: '/',
    params: {
      headers: {
        'X-Amz-Target': 'AmazonSQS.SendMessage',
        'Content-Type': 'application/x-amz-json-1.0',
      },
      body: JSON.stringify({
        QueueUrl: ctx.env['DELAY_QUEUE_URL'],
        MessageBody: JSON.stringify(message),
        DelaySeconds: delaySecondsUntil(ctx.stash.dueAtMs, util.time.nowEpochMilliSeconds()),
      }),
    },
  };
}

/** Notes a failed hand-over and still lets the mutation return the accepted schedule. */
export function response(ctx: Context<unknown, CreateScheduleStash>): null {
  const result = ctx.result as { statusCode?: number } | null | undefined;
  if (ctx.error || result === undefined || result === null || result.statusCode !== 200) {
    ctx.stash.sendFailed = true;
  }
  return null;
}
