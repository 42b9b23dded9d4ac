/*
 * createSchedules' hand-over to the delay queue: SQS SendMessageBatch (at most 10 entries) over
 * the HTTP data source, JSON protocol. 25 inputs need up to three calls, one pipeline function
 * each. A failed call or entry does not fail the mutation: the item stays QUEUED and the feeder's
 * stranded-hand-over sweep re-sends it, as for createSchedule.
 */
import { runtime, util, type Context, type HTTPRequest } from '@aws-appsync/utils';
import {
  Status,
  delaySecondsUntil,
  parseScheduleId,
  type DelayMessage,
  type ScheduleItem,
} from '../../src/domain/index.js';
import { SQS_BATCH_SIZE, type BulkCreateStash } from './bulk-create.js';

/** The items this request created on the fast path, in input order. */
function queuedItems(stash: BulkCreateStash): ScheduleItem[] {
  const items: ScheduleItem[] = [];
  for (const entry of stash.entries) {
    if (entry.created && entry.item && entry.item.status === Status.queued) {
      items.push(entry.item);
    }
  }
  return items;
}

/** SendMessageBatch for the `chunk`-th group of 10 fast-path items; an early return when empty. */
export function sendBatchRequest(
  ctx: Context<unknown, BulkCreateStash>,
  chunk: number,
): HTTPRequest<string> {
  const items = queuedItems(ctx.stash).slice(chunk * SQS_BATCH_SIZE, (chunk + 1) * SQS_BATCH_SIZE);
  if (items.length === 0) {
    return runtime.earlyReturn(null);
  }
  const nowMs = util.time.nowEpochMilliSeconds();
  const entries = items.map((item, position) => {
    const message: DelayMessage = { id: item.id };
    const dueAtMs = parseScheduleId(item.id)?.dueAtMs ?? nowMs;
    return {
      Id: `m${position}`,
      MessageBody: JSON.stringify(message),
      DelaySeconds: delaySecondsUntil(dueAtMs, nowMs),
    };
  });
  return {
    method: 'POST',
    resourcePath: '/',
    params: {
      headers: {
        'X-Amz-Target': 'AmazonSQS.SendMessageBatch',
        'Content-Type': 'application/x-amz-json-1.0',
      },
      body: JSON.stringify({ QueueUrl: ctx.env['DELAY_QUEUE_URL'], Entries: entries }),
    },
  };
}

/** Counts the hand-overs that failed (left to the stranded sweep); never fails the mutation. */
export function sendBatchResponse(ctx: Context<unknown, BulkCreateStash>): null {
  const result = ctx.result as { statusCode?: number; body?: string } | null | undefined;
  if (ctx.error || result === undefined || result === null || result.statusCode !== 200) {
    ctx.stash.sendFailures = (ctx.stash.sendFailures ?? 0) + SQS_BATCH_SIZE;
    return null;
  }
  const answer = JSON.parse(result.body ?? '') as { Failed?: unknown[] } | '';
  const failed = answer === '' ? 0 : (answer.Failed ?? []).length;
  ctx.stash.sendFailures = (ctx.stash.sendFailures ?? 0) + failed;
  return null;
}
