import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { DelayQueue } from '../aws/delay-queue.js';
import { FeederStateStore } from '../aws/feeder-state-store.js';
import { ScheduleStore } from '../aws/schedule-store.js';
import { bucketPartitionKey } from '../domain/keys.js';
import type { FeederDeps } from './deps.js';
import { InvalidFeederEventError } from './errors.js';
import {
  classifyLive,
  holdsWatermark,
  nextWatermark,
  parseFeederEvent,
  sweepWindow,
  type SweepWindow,
} from './feeder-plan.js';
import { addHandOverCounts, handOver, NO_COUNTS, type HandOverCounts } from './hand-over.js';
import {
  describeError,
  observabilityOf,
  MetricName,
  type EngineLogger,
  type EngineMetrics,
} from './observability.js';

/** What one feeder run did on one shard. */
export interface FeederReport extends HandOverCounts {
  readonly shard: number;
  /** True when another run held the shard's lease, so this one did nothing. */
  readonly skipped: boolean;
  /** False when the run stopped at its deadline and left buckets for the next run. */
  readonly complete: boolean;
  readonly bucketsRead: number;
  /** Unfinished (PENDING, QUEUED or FIRING) schedules read. */
  readonly swept: number;
  /** The shard's watermark after the run (epoch ms), null when the run was skipped. */
  readonly watermark: number | null;
  readonly durationMs: number;
}

/** How a run treats what it finds. */
export interface PassOptions {
  /**
   * A start-up recovery run over a new, empty delay queue: every QUEUED and FIRING schedule is
   * re-handed over at once, whatever its age. @default false
   */
  readonly recovering?: boolean;
}

/** A feeder bound to its dependencies. */
export interface Feeder {
  /** One run on one shard; `remainingMs` is the time left before the Lambda timeout. */
  runPass(shard: number, remainingMs?: () => number, options?: PassOptions): Promise<FeederReport>;
  /** One run on every shard at once (the local stack's timer and tests). */
  runAllShards(options?: PassOptions): Promise<FeederReport[]>;
  /**
   * The local stack's start-up pass: clears every shard's lease (a run of the previous process
   * may have died holding it, and no other process shares this table), then runs a recovery
   * pass on every shard. Only for a deployment that knows its delay queue is new.
   */
  recoverAfterRestart(): Promise<FeederReport[]>;
}

interface RunContext {
  readonly deps: FeederDeps;
  readonly store: ScheduleStore;
  readonly queue: DelayQueue;
  readonly logger: EngineLogger;
  readonly clock: () => number;
  /** Milliseconds the run may still work; it stops cleanly at zero. */
  readonly timeLeftMs: () => number;
}

interface BucketResult extends HandOverCounts {
  readonly live: boolean;
  readonly complete: boolean;
  readonly swept: number;
}

/** Reads one bucket partition page by page, handing over what is due and stranded. */
async function sweepBucket(
  run: RunContext,
  shard: number,
  bucket: number,
  window: SweepWindow,
): Promise<BucketResult> {
  const pk = bucketPartitionKey(bucket, shard);
  let counts = NO_COUNTS;
  let live = false;
  let swept = 0;
  let startKey: Awaited<ReturnType<ScheduleStore['queryLive']>>['nextKey'];
  do {
    if (run.timeLeftMs() <= 0) {
      return { ...counts, live: true, complete: false, swept };
    }
    const page = await run.store.queryLive(
      pk,
      window.horizonMs,
      run.deps.settings.queryPageSize,
      startKey,
    );
    // A dead-lettered claim or a finished schedule is not live work: it must not hold the
    // watermark back forever.
    live = live || page.items.some((ref) => holdsWatermark(classifyLive(ref, window)));
    swept += page.items.length;
    counts = addHandOverCounts(counts, await handOver(run, page.items, window));
    startKey = page.nextKey;
  } while (startKey !== undefined);
  return { ...counts, live, complete: true, swept };
}

/** Reads the shard's buckets from the watermark on and moves the watermark past finished ones. */
async function sweepShard(
  run: RunContext,
  state: FeederStateStore,
  shard: number,
  recovering: boolean,
): Promise<Omit<FeederReport, 'skipped' | 'durationMs'>> {
  const widthMs = run.deps.settings.bucketWidthSeconds * 1000;
  const watermark = await state.readWatermark(shard);
  const window = sweepWindow(run.clock(), watermark, run.deps.settings, recovering);
  let counts = NO_COUNTS;
  let firstBlocked: number | null = null;
  let complete = true;
  let bucketsRead = 0;
  let swept = 0;
  for (let bucket = window.fromBucket; bucket <= window.toBucket; bucket += widthMs) {
    const result = await sweepBucket(run, shard, bucket, window);
    bucketsRead += 1;
    swept += result.swept;
    counts = addHandOverCounts(counts, result);
    if (firstBlocked === null && (result.live || !result.complete)) {
      firstBlocked = bucket;
    }
    if (!result.complete) {
      complete = false;
      break;
    }
  }
  const next = nextWatermark(firstBlocked, window, run.deps.settings.bucketWidthSeconds);
  if (watermark === null || next > watermark) {
    await state.advanceWatermark(shard, next, run.clock());
  }
  return {
    ...counts,
    shard,
    complete,
    bucketsRead,
    swept,
    watermark: Math.max(next, watermark ?? next),
  };
}

function recordReport(
  report: FeederReport,
  metrics: EngineMetrics,
  logger: EngineLogger,
  nowMs: number,
) {
  metrics.count(MetricName.swept, report.swept);
  metrics.count(MetricName.sent, report.sent);
  metrics.count(MetricName.resent, report.resent);
  metrics.count(MetricName.redelivered, report.redelivered);
  metrics.count(MetricName.claimsDeadLettered, report.deadLettered);
  metrics.count(MetricName.sendFailed, report.sendFailed);
  if (!report.complete) metrics.count(MetricName.feederIncomplete);
  if (report.watermark !== null) {
    metrics.seconds(MetricName.watermarkLagSeconds, Math.round((nowMs - report.watermark) / 1000));
  }
  logger.info('feeder run finished', { ...report });
}

function skippedReport(shard: number): FeederReport {
  return {
    ...NO_COUNTS,
    shard,
    skipped: true,
    complete: false,
    bucketsRead: 0,
    swept: 0,
    watermark: null,
    durationMs: 0,
  };
}

/** Builds a feeder over the deps' clients; the handler and the local stack share it. */
export function createFeeder(deps: FeederDeps): Feeder {
  const { logger, metrics } = observabilityOf(deps, 'feeder');
  const clock = deps.clock ?? Date.now;
  const store = new ScheduleStore(deps.dynamo, deps.tableName);
  const state = new FeederStateStore(deps.dynamo, deps.tableName);
  const queue = new DelayQueue(deps.sqs, deps.delayQueueUrl);
  const { feederMaxRunSeconds, feederStopMarginMs } = deps.settings;

  const runPass = async (
    shard: number,
    remainingMs = deps.remainingTimeMs,
    options: PassOptions = {},
  ): Promise<FeederReport> => {
    const startMs = clock();
    // Asked before every page: the Lambda's own remaining time is the hard limit.
    const timeLeftMs = () =>
      Math.min(
        startMs + feederMaxRunSeconds * 1000 - clock(),
        (remainingMs?.() ?? Number.POSITIVE_INFINITY) - feederStopMarginMs,
      );
    const holder = randomUUID();
    // The lease outlives the run's budget by the stop margin, so it never lapses mid-run.
    const leaseExpiresMs = startMs + feederMaxRunSeconds * 1000 + feederStopMarginMs;
    if (!(await state.acquireLease(shard, holder, startMs, leaseExpiresMs))) {
      metrics.count(MetricName.feederLeaseBusy);
      logger.info('feeder run skipped: another run holds the shard lease', { shard });
      return skippedReport(shard);
    }
    try {
      const run: RunContext = { deps, store, queue, logger, clock, timeLeftMs };
      const swept = await sweepShard(run, state, shard, options.recovering ?? false);
      const report = { ...swept, skipped: false, durationMs: clock() - startMs };
      recordReport(report, metrics, logger, clock());
      return report;
    } catch (error) {
      metrics.count(MetricName.feederErrors);
      logger.error('feeder run failed', { shard, error: describeError(error) });
      throw error;
    } finally {
      await state.releaseLease(shard, holder);
      metrics.flush();
    }
  };

  const shards = Array.from({ length: deps.settings.shardCount }, (_, shard) => shard);
  const runAllShards = (options?: PassOptions) =>
    Promise.all(shards.map((shard) => runPass(shard, undefined, options)));
  return {
    runPass,
    runAllShards,
    recoverAfterRestart: async () => {
      await Promise.all(shards.map((shard) => state.clearLease(shard)));
      return runAllShards({ recovering: true });
    },
  };
}

/** The feeder Lambda handler: event `{shard}`, one run on that shard. */
export function makeFeederHandler(
  deps: FeederDeps,
): (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<FeederReport> {
  const feeder = createFeeder(deps);
  return async (event, context) => {
    const parsed = parseFeederEvent(event, deps.settings.shardCount);
    if (!parsed.ok) {
      throw new InvalidFeederEventError(parsed.message);
    }
    const remaining = context === undefined ? undefined : () => context.getRemainingTimeInMillis();
    return feeder.runPass(parsed.shard, remaining);
  };
}

/** One feeder run on every shard at once; what the local stack's timer and tests call. */
export function runFeederPassForAllShards(deps: FeederDeps): Promise<FeederReport[]> {
  return createFeeder(deps).runAllShards();
}
