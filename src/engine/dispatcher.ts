import { setTimeout as sleep } from 'node:timers/promises';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DelayQueue } from '../aws/delay-queue.js';
import { OutputQueue, type FiredEventSink } from '../aws/output-queue.js';
import { ScheduleStore } from '../aws/schedule-store.js';
import { scheduleKey, type ScheduleKey } from '../domain/keys.js';
import type { ScheduleItem } from '../domain/schedule-item.js';
import { Status, isLive, isUnfinished } from '../domain/status.js';
import type { DispatcherDeps } from './deps.js';
import { deliver, sinksAskedFor } from './delivery.js';
import { parseDelayMessage, planHold, type ParsedDelayMessage } from './dispatch-plan.js';
import {
  DeliveryError,
  EngineError,
  MalformedMessageError,
  UnknownScheduleError,
} from './errors.js';
import { firedEventFrom, type FiredEvent } from './fired-event.js';
import {
  describeError,
  MetricName,
  observabilityOf,
  type EngineLogger,
  type EngineMetrics,
} from './observability.js';
import { settleReplacement, type SupersedeContext } from './supersede.js';

/** What became of one delay-queue message that did not fail. */
export type DispatchOutcome =
  | 'fired'
  | 'dropped-cancelled'
  | 'dropped-rescheduled'
  | 'dropped-duplicate'
  | 'dropped-void'
  | 'redelayed';

interface DispatchContext {
  readonly deps: DispatcherDeps;
  readonly store: ScheduleStore;
  readonly queue: DelayQueue;
  readonly sinks: Readonly<Record<string, FiredEventSink>>;
  readonly logger: EngineLogger;
  readonly metrics: EngineMetrics;
  readonly clock: () => number;
  readonly supersede: SupersedeContext;
}

const DAY_SECONDS = 86_400;
/** Claims tried per message when settling a replacement in between (confirmed, then claimed). */
const MAX_CLAIM_ATTEMPTS = 4;
/**
 * A replacement this young is most likely a reschedule a few milliseconds from confirming it:
 * look again in-process once before paying at least a second of SQS delay.
 */
const QUICK_RECHECK_AGE_MS = 5000;
const QUICK_RECHECK_WAIT_MS = 250;

/** Why a claim lost, from the item as it is now. */
function lostReason(item: ScheduleItem): string {
  if (item.status === Status.cancelled) return 'cancelled';
  if (item.status === Status.rescheduled) return `rescheduled to ${item.rescheduledTo ?? '?'}`;
  if (item.status === Status.firing) return 'claimed by another message that is delivering it';
  return 'already fired';
}

/** Reads a schedule the message names; a message for a missing one fails (it ends in the DLQ). */
async function readNamed(
  ctx: DispatchContext,
  message: ParsedDelayMessage,
  key: ScheduleKey,
): Promise<ScheduleItem> {
  const current = await ctx.store.get(key);
  if (current === null) {
    ctx.metrics.count(MetricName.unknownSchedule);
    throw new UnknownScheduleError(message.id);
  }
  return current;
}

/**
 * Counts a claim that lost: the schedule was cancelled or rescheduled (both final: it never
 * fires), fired, or is held by another message.
 */
function dropLostClaim(
  ctx: DispatchContext,
  message: ParsedDelayMessage,
  current: ScheduleItem,
): DispatchOutcome {
  ctx.metrics.count(MetricName.dropped);
  ctx.logger.info('message dropped without delivery', {
    id: message.id,
    reason: lostReason(current),
  });
  if (current.status === Status.cancelled) {
    ctx.metrics.count(MetricName.droppedCancelled);
    return 'dropped-cancelled';
  }
  if (current.status === Status.rescheduled) {
    ctx.metrics.count(MetricName.droppedRescheduled);
    return 'dropped-rescheduled';
  }
  ctx.metrics.count(MetricName.droppedDuplicate);
  return 'dropped-duplicate';
}

/** Puts a message that came far too early back on the queue, unless its schedule is finished. */
async function redelay(
  ctx: DispatchContext,
  message: ParsedDelayMessage,
  key: ScheduleKey,
  delaySeconds: number,
): Promise<DispatchOutcome> {
  const current = await readNamed(ctx, message, key);
  if (!isUnfinished(current.status)) {
    return dropLostClaim(ctx, message, current);
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
  // Only the channels the schedule asked for, and of those only the ones still missing: FIRED
  // once every asked-for channel has it.
  const outcome = await deliver(event, ctx.sinks, already, sinksAskedFor(claimed.deliver));
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

/**
 * Claims the schedule. When the claim loses to an unconfirmed replacement (`supersedes`), settles
 * it ({@link settleReplacement}) and claims again once confirmed; a replacement whose reschedule
 * may still be running is looked at again shortly (in-process once while it is very young, then
 * through a new delayed message, acknowledging this one). Returns the claimed item or what
 * became of the message.
 */
async function claimOrSettle(
  ctx: DispatchContext,
  record: SQSRecord,
  message: ParsedDelayMessage,
  key: ScheduleKey,
): Promise<ScheduleItem | DispatchOutcome> {
  const { settings } = ctx.deps;
  for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt += 1) {
    const nowMs = ctx.clock();
    const claimed = await ctx.store.claim({
      key,
      messageId: record.messageId,
      nowMs,
      staleBeforeMs: nowMs - settings.claimStaleSeconds * 1000,
    });
    if (claimed !== null) return claimed;
    const current = await readNamed(ctx, message, key);
    if (current.supersedes === undefined || !isLive(current.status)) {
      return dropLostClaim(ctx, message, current);
    }
    const step = await settleReplacement(
      ctx.supersede,
      { ...current, supersedes: current.supersedes },
      key,
    );
    if (step.kind === 'voided') return 'dropped-void';
    if (step.kind === 'retry') {
      const ageMs = ctx.clock() - Date.parse(current.createdAt);
      if (attempt === 1 && ageMs < QUICK_RECHECK_AGE_MS) {
        await sleep(QUICK_RECHECK_WAIT_MS);
        continue;
      }
      await ctx.queue.send({ id: message.id, delaySeconds: step.delaySeconds });
      ctx.metrics.count(MetricName.replacementWaiting);
      ctx.logger.info('replacement not confirmed yet; message re-sent to look again', {
        id: message.id,
        supersedes: current.supersedes,
        delaySeconds: step.delaySeconds,
      });
      return 'redelayed';
    }
  }
  // Each round confirmed or lost a conditional write to someone settling it too; SQS retries.
  throw new EngineError(
    `Claiming ${message.id} kept losing to concurrent writes after ${MAX_CLAIM_ATTEMPTS} attempts`,
  );
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
  const claimed = await claimOrSettle(ctx, record, message, key);
  if (typeof claimed === 'string') {
    return claimed;
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
  const store = new ScheduleStore(deps.dynamo, deps.tableName);
  const clock = deps.clock ?? Date.now;
  const ctx: DispatchContext = {
    deps,
    store,
    queue: new DelayQueue(deps.sqs, deps.delayQueueUrl),
    sinks: {
      outputQueue: deps.output ?? new OutputQueue(deps.sqs, deps.outputQueueUrl),
      appsync: deps.publisher,
    },
    logger,
    metrics,
    clock,
    supersede: {
      store,
      logger,
      metrics,
      clock,
      bucketWidthSeconds: deps.settings.bucketWidthSeconds,
      finishedRetentionDays: deps.settings.finishedRetentionDays,
    },
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
