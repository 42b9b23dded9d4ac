import { setTimeout as sleep } from 'node:timers/promises';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DelayQueue } from '../aws/delay-queue.js';
import { OutputQueue, type FiredEventSink } from '../aws/output-queue.js';
import { ScheduleStore } from '../aws/schedule-store.js';
import { scheduleKey, type ScheduleKey } from '../domain/keys.js';
import type { ScheduleItem } from '../domain/schedule-item.js';
import { Status, isUnfinished } from '../domain/status.js';
import type { DispatcherDeps } from './deps.js';
import { deliver } from './delivery.js';
import { parseDelayMessage, planHold, type ParsedDelayMessage } from './dispatch-plan.js';
import { DeliveryError, MalformedMessageError, UnknownScheduleError } from './errors.js';
import { firedEventFrom, type FiredEvent } from './fired-event.js';
import {
  describeError,
  MetricName,
  observabilityOf,
  type EngineLogger,
  type EngineMetrics,
} from './observability.js';

/** What became of one delay-queue message that did not fail. */
export type DispatchOutcome = 'fired' | 'dropped-cancelled' | 'dropped-duplicate' | 'redelayed';

interface DispatchContext {
  readonly deps: DispatcherDeps;
  readonly store: ScheduleStore;
  readonly queue: DelayQueue;
  readonly sinks: Readonly<Record<string, FiredEventSink>>;
  readonly logger: EngineLogger;
  readonly metrics: EngineMetrics;
  readonly clock: () => number;
}

const DAY_SECONDS = 86_400;

/** Why a claim lost, from the item as it is now. */
function lostReason(status: ScheduleItem['status']): string {
  if (status === Status.cancelled) return 'cancelled';
  if (status === Status.firing) return 'claimed by another message that is delivering it';
  return 'already fired';
}

/** Counts a claim that lost: the schedule was cancelled, fired, or is held by another message. */
async function dropLostClaim(
  ctx: DispatchContext,
  message: ParsedDelayMessage,
  key: ScheduleKey,
): Promise<DispatchOutcome> {
  const current = await ctx.store.get(key);
  if (current === null) {
    ctx.metrics.count(MetricName.unknownSchedule);
    throw new UnknownScheduleError(message.id);
  }
  const cancelled = current.status === Status.cancelled;
  ctx.metrics.count(MetricName.dropped);
  ctx.metrics.count(cancelled ? MetricName.droppedCancelled : MetricName.droppedDuplicate);
  ctx.logger.info('message dropped without delivery', {
    id: message.id,
    reason: lostReason(current.status),
  });
  return cancelled ? 'dropped-cancelled' : 'dropped-duplicate';
}

/** Puts a message that came far too early back on the queue, unless its schedule is finished. */
async function redelay(
  ctx: DispatchContext,
  message: ParsedDelayMessage,
  key: ScheduleKey,
  delaySeconds: number,
): Promise<DispatchOutcome> {
  const current = await ctx.store.get(key);
  if (current === null) {
    ctx.metrics.count(MetricName.unknownSchedule);
    throw new UnknownScheduleError(message.id);
  }
  if (!isUnfinished(current.status)) {
    return dropLostClaim(ctx, message, key);
  }
  await ctx.queue.send({ id: message.id, delaySeconds });
  ctx.metrics.count(MetricName.redelayed);
  ctx.logger.debug('early message re-sent with a new delay', { id: message.id, delaySeconds });
  return 'redelayed';
}

/**
 * Delivers a claimed schedule to every channel that does not have it yet and records the result
 * on the item. When a channel fails, the ones that succeeded are recorded (never sent again),
 * the claim is kept and the message fails, so SQS redelivers it to the same claim; on its last
 * receive the failure is logged and counted as dead-lettered.
 */
async function deliverClaimed(
  ctx: DispatchContext,
  record: SQSRecord,
  claimed: ScheduleItem,
  event: FiredEvent,
): Promise<void> {
  const key: ScheduleKey = { pk: claimed.pk, sk: claimed.sk };
  const already = new Set(claimed.deliveredTo ?? []);
  const outcome = await deliver(event, ctx.sinks, already);
  const complete = outcome.failed.length === 0;
  const ttlSeconds =
    Math.floor(ctx.clock() / 1000) + ctx.deps.settings.finishedRetentionDays * DAY_SECONDS;
  await ctx.store.recordDelivery(key, { channels: outcome.delivered, complete, ttlSeconds });
  if (complete) return;
  ctx.metrics.count(MetricName.deliveryFailed);
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  const channels = outcome.failed.map((failure) => failure.channel);
  if (receiveCount >= ctx.deps.settings.maxReceiveCount) {
    ctx.metrics.count(MetricName.deliveryDeadLettered);
    ctx.logger.error('delivery failed on the last receive; the message goes to the DLQ', {
      id: event.id,
      messageId: record.messageId,
      failedChannels: channels,
      deliveredTo: [...already, ...outcome.delivered],
      deliveryFailures: (claimed.deliveryFailures ?? 0) + 1,
    });
  }
  const reasons = outcome.failed.map((failure) => `${failure.channel}: ${failure.reason}`);
  throw new DeliveryError(`Delivering ${event.id} failed (${reasons.join('; ')})`);
}

/** Holds, claims and delivers one delay-queue message; throws to fail it (SQS redelivers). */
async function dispatchRecord(ctx: DispatchContext, record: SQSRecord): Promise<DispatchOutcome> {
  const parsed = parseDelayMessage(record.body);
  if (!parsed.ok) {
    ctx.metrics.count(MetricName.malformedMessage);
    throw new MalformedMessageError(parsed.message);
  }
  const message = parsed.value;
  const { settings } = ctx.deps;
  const key = scheduleKey(message.id, settings.bucketWidthSeconds) as ScheduleKey;
  const plan = planHold(message.dueAtMs, ctx.clock(), settings.maxHoldMs);
  if (plan.kind === 'redelay') {
    return redelay(ctx, message, key, plan.delaySeconds);
  }
  if (plan.kind === 'hold') {
    ctx.metrics.milliseconds(MetricName.holdMs, plan.ms);
    // Timers may wake a millisecond early against the wall clock; never fire before the due time.
    while (ctx.clock() < message.dueAtMs) {
      await sleep(message.dueAtMs - ctx.clock());
    }
  }
  const nowMs = ctx.clock();
  const claimed = await ctx.store.claim({
    key,
    messageId: record.messageId,
    nowMs,
    staleBeforeMs: nowMs - settings.claimStaleSeconds * 1000,
  });
  if (claimed === null) {
    return dropLostClaim(ctx, message, key);
  }
  const event = firedEventFrom(claimed);
  await deliverClaimed(ctx, record, claimed, event);
  ctx.metrics.count(MetricName.fired);
  ctx.metrics.milliseconds(MetricName.latenessMs, event.latenessMs);
  ctx.logger.debug('schedule fired', { id: event.id, latenessMs: event.latenessMs });
  return 'fired';
}

/** Logs a failed message by id and reason only (never its payload) and rethrows it. */
function logFailure(ctx: DispatchContext, record: SQSRecord, error: unknown): never {
  ctx.logger.error('message failed; SQS will redeliver it or move it to the DLQ', {
    messageId: record.messageId,
    receiveCount: record.attributes.ApproximateReceiveCount,
    error: describeError(error),
  });
  throw error;
}

/**
 * The dispatcher Lambda handler: every message of the batch is held and claimed concurrently;
 * failed ones are reported in `batchItemFailures` so only they are redelivered.
 */
export function makeDispatcherHandler(
  deps: DispatcherDeps,
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const { logger, metrics } = observabilityOf(deps, 'dispatcher');
  const ctx: DispatchContext = {
    deps,
    store: new ScheduleStore(deps.dynamo, deps.tableName),
    queue: new DelayQueue(deps.sqs, deps.delayQueueUrl),
    sinks: {
      outputQueue: deps.output ?? new OutputQueue(deps.sqs, deps.outputQueueUrl),
      appsync: deps.publisher,
    },
    logger,
    metrics,
    clock: deps.clock ?? Date.now,
  };
  const recordHandler = (record: SQSRecord) =>
    dispatchRecord(ctx, record).catch((error: unknown) => logFailure(ctx, record, error));
  return async (event, context) => {
    // One processor per invocation: it keeps per-batch state, and local pollers run concurrently.
    const processor = new BatchProcessor(EventType.SQS);
    try {
      return await processPartialResponse(event, recordHandler, processor, {
        ...(context === undefined ? {} : { context }),
        throwOnFullBatchFailure: false,
        processInParallel: true,
      });
    } finally {
      metrics.flush();
    }
  };
}
