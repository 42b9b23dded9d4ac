/*
 * The feeder's decisions, kept pure so they can be tested without DynamoDB or SQS: which
 * buckets a run reads, what it does with each live schedule, and how far the watermark moves.
 */
import { bucketStartMs } from '../domain/keys.js';
import { Status, isUnfinished } from '../domain/status.js';
import type { LiveScheduleRef } from '../aws/schedule-store.js';
import type { EngineSettings } from './settings.js';

/** The range of buckets one run reads, and the times its decisions use. */
export interface SweepWindow {
  /** First bucket to read (epoch ms): the watermark, or the initial lookback on a first run. */
  readonly fromBucket: number;
  /** Last bucket to read: the one holding now + lookahead. */
  readonly toBucket: number;
  /** Schedules due at or before this are handed over. */
  readonly horizonMs: number;
  /**
   * The watermark never passes this bucket: schedules are written into buckets from
   * now - pastTolerance on, and a lost hand-over is only noticed a grace period later.
   */
  readonly advanceLimit: number;
  /** The run's start time (epoch ms). */
  readonly nowMs: number;
  /** How long a QUEUED schedule may be overdue, and its hand-over old, before it is re-sent. */
  readonly graceMs: number;
  /** A FIRING claim with no progress (claim or release) for this long is re-delivered. */
  readonly claimStaleMs: number;
  /** A FIRING claim with this many failed delivery attempts is dead-lettered: left alone. */
  readonly maxDeliveryAttempts: number;
  /**
   * A start-up recovery pass: the delay queue is new, so every QUEUED and FIRING schedule is
   * stranded whatever its age, and the window reaches as far as a fast-path hand-over can.
   */
  readonly recovering: boolean;
}

/** Re-sends of one schedule back off up to 2^6 grace periods apart. */
const MAX_BACKOFF_DOUBLINGS = 6;

/**
 * What the feeder does with one schedule it read: send it, re-send a stranded hand-over,
 * re-deliver a stranded claim, leave it (on its way), leave a dead-lettered claim, or leave a
 * finished one (FIRED, CANCELLED, RESCHEDULED: never sent again). Neither of the last two holds
 * the watermark back.
 */
export type LiveAction = 'send' | 'resend' | 'redeliver' | 'wait' | 'dead' | 'finished';

/** Whether a schedule in this state is work the watermark must wait for. */
export function holdsWatermark(action: LiveAction): boolean {
  return action !== 'dead' && action !== 'finished';
}

/**
 * The window of a run at `nowMs` for a shard whose watermark is `watermark` (null: none yet).
 * A recovery run reads up to the fast-path horizon too: resolvers hand schedules due that far
 * ahead to the delay queue directly, and those messages died with the old queue.
 */
export function sweepWindow(
  nowMs: number,
  watermark: number | null,
  settings: EngineSettings,
  recovering = false,
): SweepWindow {
  const width = settings.bucketWidthSeconds;
  const reachSeconds = recovering
    ? Math.max(settings.lookaheadSeconds, settings.fastPathHorizonSeconds)
    : settings.lookaheadSeconds;
  const horizonMs = nowMs + reachSeconds * 1000;
  const graceMs = settings.strandedGraceSeconds * 1000;
  const advanceLimit = bucketStartMs(nowMs - graceMs - settings.pastToleranceMs, width);
  const start = watermark ?? bucketStartMs(nowMs - settings.initialLookbackSeconds * 1000, width);
  return {
    fromBucket: Math.min(start, advanceLimit),
    toBucket: bucketStartMs(horizonMs, width),
    horizonMs,
    advanceLimit,
    nowMs,
    graceMs,
    claimStaleMs: settings.claimStaleSeconds * 1000,
    maxDeliveryAttempts: settings.maxDeliveryAttempts,
    recovering,
  };
}

/**
 * A FIRING claim is dead-lettered once its channels failed `maxDeliveryAttempts` times; else it
 * is re-delivered when no claim happened for the stale period (its message died with a process
 * or a queue, or went to the DLQ) and the last hand-over is older than the stale period doubled
 * per earlier hand-over, or at once in a recovery run.
 */
function classifyClaim(ref: LiveScheduleRef, window: SweepWindow): LiveAction {
  if ((ref.deliveryFailures ?? 0) >= window.maxDeliveryAttempts) {
    return 'dead';
  }
  if (window.recovering) {
    return 'redeliver';
  }
  const claimStale =
    ref.claimedAt === undefined || Date.parse(ref.claimedAt) < window.nowMs - window.claimStaleMs;
  // An overloaded dispatcher makes claims look stale; backing off keeps re-deliveries from
  // adding to the very backlog that delays them.
  const sends = Math.max(1, ref.sendCount ?? 1);
  const waitMs = window.claimStaleMs * 2 ** Math.min(sends - 1, MAX_BACKOFF_DOUBLINGS);
  const releaseStale =
    ref.queuedAt === undefined || Date.parse(ref.queuedAt) < window.nowMs - waitMs;
  return claimStale && releaseStale ? 'redeliver' : 'wait';
}

/**
 * PENDING schedules (the query returns only those due within the lookahead) are sent; QUEUED
 * ones are re-sent when both overdue and handed over more than the grace period ago, because
 * their message was lost or never sent (in a recovery run, always); FIRING ones as
 * {@link classifyClaim} says; anything else is on its way and is left alone. A finished one
 * (the query filters them out, but a status read is never trusted to be live) is never sent.
 */
export function classifyLive(ref: LiveScheduleRef, window: SweepWindow): LiveAction {
  if (!isUnfinished(ref.status)) {
    return 'finished';
  }
  if (ref.status === Status.pending) {
    return 'send';
  }
  if (ref.status === Status.firing) {
    return classifyClaim(ref, window);
  }
  if (window.recovering) {
    return ref.status === Status.queued ? 'resend' : 'wait';
  }
  const overdue = Date.parse(ref.dueAt) < window.nowMs - window.graceMs;
  // Each re-send doubles the wait before the next: a backlogged dispatcher is not flooded
  // with duplicates of messages that are only late, not lost.
  const sends = Math.max(1, ref.sendCount ?? 1);
  const waitMs = window.graceMs * 2 ** Math.min(sends - 1, MAX_BACKOFF_DOUBLINGS);
  const handedOverLongAgo =
    ref.queuedAt === undefined || Date.parse(ref.queuedAt) < window.nowMs - waitMs;
  return ref.status === Status.queued && overdue && handedOverLongAgo ? 'resend' : 'wait';
}

/**
 * The new watermark: the first bucket that still holds live work (or was not read to its end),
 * else the bucket after the last one read, and never beyond the window's advance limit.
 */
export function nextWatermark(
  firstBlockedBucket: number | null,
  window: SweepWindow,
  bucketWidthSeconds: number,
): number {
  const candidate = firstBlockedBucket ?? window.toBucket + bucketWidthSeconds * 1000;
  return Math.min(candidate, window.advanceLimit);
}

/** Parses and checks a feeder event `{shard}`; returns an error message or the shard. */
export function parseFeederEvent(
  event: unknown,
  shardCount: number,
): { ok: true; shard: number } | { ok: false; message: string } {
  const shard = (event as { shard?: unknown } | null)?.shard;
  if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 0 || shard >= shardCount) {
    return {
      ok: false,
      message: `The feeder event must be {"shard": <integer from 0 to ${shardCount - 1}>}; received ${JSON.stringify(event)?.slice(0, 200)}`,
    };
  }
  return { ok: true, shard };
}
