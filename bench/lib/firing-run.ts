import type { BenchStack } from './bench-stack.js';
import { diffCounts, type CallCounts, type CallTimings } from './http-meter.js';
import type { FiringLog } from './observers.js';
import { createMany } from './create-many.js';
import { waitUntil } from './pool.js';
import type { Progress } from './progress.js';
import { createSchedule } from './scheduler-api.js';
import { diffSdkCounts, type SdkCounts } from './sdk-meter.js';
import { countDeliveries, type DeliveryCount } from './stats.js';

/** What to create and how long to wait for it. */
export interface FiringRunOptions {
  readonly count: number;
  /** Create requests in flight. */
  readonly concurrency: number;
  /** Create through `createSchedules`, 25 to a request. @default false */
  readonly bulk?: boolean;
  /** Due time (epoch ms) of the schedule with this index. */
  readonly dueAtMs: (index: number) => number;
  /**
   * How long to wait for stragglers after the last due time, and again after the latest new
   * delivery: a run that is slow but still delivering is waited for (up to ten minutes).
   */
  readonly graceMs: number;
  readonly progress: Progress;
}

/** What a firing run saw. */
export interface FiringRun {
  readonly created: number;
  readonly createSeconds: number;
  /** Schedules whose createSchedule returned after their due time. */
  readonly createdAfterDue: number;
  /** Lateness samples (ms) by series, of the schedules created before their due time. */
  readonly lateness: {
    readonly subscription: number[];
    readonly queueFiredAt: number[];
    readonly queueReceived: number[];
    /** The subscription samples of schedules due after the last create returned. */
    readonly subscriptionAfterCreating: number[];
  };
  readonly delivery: { readonly subscription: DeliveryCount; readonly queue: DeliveryCount };
  /** AWS calls the stack made and GraphQL requests the endpoint served during the run. */
  readonly httpCalls: CallCounts;
  /** SDK calls the stack made during the run. */
  readonly sdkCalls: SdkCounts;
  /** Mean and longest answer time (ms) by call kind: caller-side for AWS, endpoint-side for GraphQL. */
  readonly answerTimes: Record<string, { count: number; meanMs: number; maxMs: number }>;
}

/** Creates one schedule due now and waits until both channels deliver it, to warm everything up. */
export async function warmUp(bench: BenchStack, timeoutMs = 15_000): Promise<void> {
  const created = await createSchedule(bench.stack, new Date(), { warmUp: true });
  const seen = () => bench.log.subscription.has(created.id) && bench.log.queue.has(created.id);
  if (!(await waitUntil(seen, Date.now() + timeoutMs))) {
    throw new Error(
      `warm-up schedule ${created.id} was not delivered on both channels within ${timeoutMs} ms`,
    );
  }
  bench.log.subscription.delete(created.id);
  bench.log.queue.delete(created.id);
}

/**
 * Measures how many schedules a second this stack accepts right now, with schedules due in a day
 * (they never fire during a run), so a scenario can give itself enough lead time.
 */
export async function estimateCreateRate(
  bench: BenchStack,
  concurrency: number,
  bulk = false,
): Promise<number> {
  const dueAtMs = Date.now() + 86_400_000;
  return createMany(bench.stack, {
    // Enough bulk requests to fill the pool once.
    count: bulk ? 25 * Math.min(concurrency, 16) : 100,
    concurrency,
    bulk,
    dueAtMs: () => dueAtMs,
    payload: (index) => ({ probe: index }),
  });
}

/** Lead time (ms) to create `count` schedules at `ratePerSecond`, with 50% to spare. */
export function leadMsFor(count: number, ratePerSecond: number, minimumMs = 3000): number {
  return Math.round(minimumMs + (1.5 * count * 1000) / Math.max(1, ratePerSecond));
}

/** Lateness samples (ms) of `dueAt`'s ids by series; `createdByMs` splits off the late-due ones. */
export function latenessOf(
  log: FiringLog,
  dueAt: ReadonlyMap<string, number>,
  createdByMs: number,
) {
  const subscription: number[] = [];
  const subscriptionAfterCreating: number[] = [];
  const queueFiredAt: number[] = [];
  const queueReceived: number[] = [];
  for (const [id, due] of dueAt) {
    const first = log.subscription.get(id)?.[0];
    if (first !== undefined) subscription.push(first - due);
    if (first !== undefined && due > createdByMs) subscriptionAfterCreating.push(first - due);
    const delivery = log.queue.get(id)?.[0];
    if (delivery !== undefined) {
      queueFiredAt.push(delivery.firedAtMs - due);
      queueReceived.push(delivery.receivedAtMs - due);
    }
  }
  return { subscription, queueFiredAt, queueReceived, subscriptionAfterCreating };
}

/** Deliveries per id; the same SQS message received twice by the bench counts once. */
export function queueCounts(log: FiringLog): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [id, deliveries] of log.queue) {
    counts.set(id, new Set(deliveries.map((delivery) => delivery.messageId)).size);
  }
  return counts;
}

async function createAll(
  bench: BenchStack,
  options: FiringRunOptions,
  dueAt: Map<string, number>,
  late: Set<string>,
) {
  options.progress.phase(`creating through GraphQL${options.bulk ? ', 25 per request' : ''}`);
  await createMany(bench.stack, {
    count: options.count,
    concurrency: options.concurrency,
    bulk: options.bulk ?? false,
    dueAtMs: options.dueAtMs,
    onCreated: (index, created, returnedAtMs) => {
      const due = options.dueAtMs(index);
      if (returnedAtMs > due) late.add(created.id);
      dueAt.set(created.id, due);
      options.progress.update(dueAt.size, options.count);
    },
  });
}

/**
 * Creates `count` schedules through GraphQL, then waits until every one was delivered on both
 * the subscription and the output queue (or the grace period after the last due time ends).
 */
export async function runFiring(bench: BenchStack, options: FiringRunOptions): Promise<FiringRun> {
  const dueAt = new Map<string, number>();
  const httpBefore = bench.http.snapshot();
  const timingsBefore = bench.http.timings();
  const sdkBefore = bench.sdk.snapshot();
  const started = performance.now();
  // Schedules created after their due time measure the client's lag, not the scheduler.
  const late = new Set<string>();
  await createAll(bench, options, dueAt, late);
  const createSeconds = (performance.now() - started) / 1000;
  const createdByMs = Date.now();
  // Not Math.max(...): a spread of a few hundred thousand arguments overflows the stack.
  const lastDue = [...dueAt.values()].reduce((latest, due) => Math.max(latest, due), 0);
  options.progress.phase('waiting for deliveries (subscription + queue)');
  await waitForDeliveries(bench.log, dueAt, lastDue, options);
  // A short pause catches duplicates that arrive just after the last first delivery.
  await waitUntil(() => false, Date.now() + 1500);
  options.progress.done();
  return {
    created: dueAt.size,
    createSeconds,
    createdAfterDue: late.size,
    lateness: latenessOf(
      bench.log,
      new Map([...dueAt].filter(([id]) => !late.has(id))),
      createdByMs,
    ),
    delivery: {
      subscription: countDeliveries(
        dueAt.keys(),
        new Map([...bench.log.subscription].map(([id, times]) => [id, times.length])),
      ),
      queue: countDeliveries(dueAt.keys(), queueCounts(bench.log)),
    },
    httpCalls: diffCounts(httpBefore, bench.http.snapshot()),
    sdkCalls: diffSdkCounts(sdkBefore, bench.sdk.snapshot()),
    answerTimes: answerTimesSince(timingsBefore, bench.http.timings()),
  };
}

function answerTimesSince(before: CallTimings, after: CallTimings): FiringRun['answerTimes'] {
  const times: FiringRun['answerTimes'] = {};
  for (const [label, timing] of Object.entries(after)) {
    const count = timing.count - (before[label]?.count ?? 0);
    if (count === 0) continue;
    const totalMs = timing.totalMs - (before[label]?.totalMs ?? 0);
    times[label] = {
      count,
      meanMs: Math.round((totalMs / count) * 10) / 10,
      maxMs: Math.round(timing.maxMs),
    };
  }
  return times;
}

/**
 * Waits until every id of `dueAt` arrived on both channels, or nothing new arrived for
 * `graceMs` after the last due time, or ten minutes passed.
 */
export async function waitForDeliveries(
  log: FiringLog,
  dueAt: ReadonlyMap<string, number>,
  lastDue: number,
  options: Pick<FiringRunOptions, 'graceMs' | 'progress'>,
): Promise<void> {
  const hardDeadline = lastDue + 600_000;
  let arrived = -1;
  let progressAt = Date.now();
  await waitUntil(
    () => {
      const now = countArrived(log, dueAt);
      if (now !== arrived) {
        arrived = now;
        progressAt = Date.now();
      }
      options.progress.update(now, dueAt.size * 2);
      const quiet = Date.now() > Math.max(lastDue, progressAt) + options.graceMs;
      return now >= dueAt.size * 2 || quiet || Date.now() > hardDeadline;
    },
    hardDeadline,
    100,
  );
}

function countArrived(log: FiringLog, dueAt: ReadonlyMap<string, number>): number {
  let arrived = 0;
  for (const id of dueAt.keys()) {
    if (log.subscription.has(id)) arrived += 1;
    if (log.queue.has(id)) arrived += 1;
  }
  return arrived;
}
