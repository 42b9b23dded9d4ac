import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BenchStack } from './bench-stack.js';
import { addJobs, connect, type JobData } from './bullmq-peer.js';
import { createMany } from './create-many.js';
import { queueCounts, waitForDeliveries } from './firing-run.js';
import { runPool, waitUntil } from './pool.js';
import type { Progress } from './progress.js';
import type { RedisServer } from './redis-server.js';
import {
  judgeByIds,
  judgeByTimes,
  latenessAgainstNew,
  type MovedSchedule,
  type RescheduleVerdict,
} from './reschedule-judge.js';
import { ApiError, rescheduleSchedule } from './scheduler-api.js';
import { countDeliveries, type DeliveryCount } from './stats.js';

/** One reschedule run: create `count` due at `oldDueMs`, then move each to `newDueMs`. */
export interface RescheduleRunOptions {
  readonly count: number;
  readonly concurrency: number;
  /** Create 25 per request (ours: createSchedules, the peer: addBulk). */
  readonly bulk: boolean;
  readonly oldDueMs: (index: number) => number;
  readonly newDueMs: (index: number) => number;
  readonly progress: Progress;
}

/** What one side measured. */
export interface RescheduleRun {
  readonly reschedulesPerSecond: number;
  /** Refused reschedules by errorType (those schedules are left out of the verdicts). */
  readonly refused: Readonly<Record<string, number>>;
  /** Moves that returned after the new due time: left out of the lateness figures. */
  readonly movedAfterNewDue: number;
  /** Verdict per channel. */
  readonly verdicts: Readonly<Record<string, RescheduleVerdict>>;
  /** Lateness against the new due time per series. */
  readonly lateness: Readonly<Record<string, number[]>>;
  /** Delivery accounting of the new ids per channel (deliveries of old ids count as unexpected). */
  readonly delivery: Readonly<Record<string, DeliveryCount>>;
}

/** Moves every schedule with `move`, counting refusals by errorType instead of stopping. */
async function moveAll(
  count: number,
  options: RescheduleRunOptions,
  move: (index: number) => Promise<MovedSchedule>,
): Promise<{
  moved: MovedSchedule[];
  refused: Record<string, number>;
  late: Set<string>;
  perSecond: number;
}> {
  const moved: MovedSchedule[] = [];
  const refused: Record<string, number> = {};
  const late = new Set<string>();
  options.progress.phase('rescheduling');
  const started = performance.now();
  await runPool(count, options.concurrency, async (index) => {
    try {
      const schedule = await move(index);
      if (Date.now() > schedule.newDueMs) late.add(schedule.newId);
      moved.push(schedule);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refused[error.errorType] = (refused[error.errorType] ?? 0) + 1;
      if (Object.keys(refused).length === 1 && refused[error.errorType] === 1) {
        options.progress.note(`first refused reschedule: ${error.message}`);
      }
    }
    options.progress.update(moved.length, count);
  });
  if (moved.length === 0) {
    throw new Error(`every reschedule was refused: ${JSON.stringify(refused)}`);
  }
  return { moved, refused, late, perSecond: count / ((performance.now() - started) / 1000) };
}

/**
 * Measures how many reschedules a second this stack serves right now: `samples` schedules due in
 * a day, each moved a minute later (far path both ways, so nothing fires during a run).
 */
export async function estimateRescheduleRate(
  bench: BenchStack,
  concurrency: number,
  samples = 50,
): Promise<number> {
  const dueAtMs = Date.now() + 86_400_000;
  const ids: string[] = [];
  await createMany(bench.stack, {
    count: samples,
    concurrency,
    bulk: false,
    dueAtMs: () => dueAtMs,
    onCreated: (index, schedule) => {
      ids[index] = schedule.id;
    },
  });
  const started = performance.now();
  await runPool(samples, concurrency, async (index) => {
    await rescheduleSchedule(bench.stack, ids[index] as string, new Date(dueAtMs + 60_000));
  });
  return samples / ((performance.now() - started) / 1000);
}

/**
 * Ours: creates through the API, moves each through `rescheduleSchedule`, and judges both
 * channels by id (a move gives a new id).
 */
export async function runOursReschedule(
  bench: BenchStack,
  options: RescheduleRunOptions,
): Promise<RescheduleRun> {
  const ids: string[] = [];
  let created = 0;
  options.progress.phase(`creating through GraphQL${options.bulk ? ', 25 per request' : ''}`);
  await createMany(bench.stack, {
    ...options,
    dueAtMs: options.oldDueMs,
    onCreated: (index, schedule) => {
      ids[index] = schedule.id;
      created += 1;
      options.progress.update(created, options.count);
    },
  });
  const { moved, refused, late, perSecond } = await moveAll(
    options.count,
    options,
    async (index) => {
      const newDueMs = options.newDueMs(index);
      const oldId = ids[index] as string;
      const next = await rescheduleSchedule(bench.stack, oldId, new Date(newDueMs));
      return { oldId, oldDueMs: options.oldDueMs(index), newId: next.id, newDueMs };
    },
  );
  const newDue = new Map(moved.map((schedule) => [schedule.newId, schedule.newDueMs]));
  options.progress.phase('waiting for deliveries at the new times (subscription + queue)');
  const lastDue = moved.reduce((latest, schedule) => Math.max(latest, schedule.newDueMs), 0);
  await waitForDeliveries(bench.log, newDue, lastDue, {
    graceMs: 30_000,
    progress: options.progress,
  });
  await waitUntil(() => false, Date.now() + 1500);
  options.progress.done();
  const subscriptionCounts = new Map(
    [...bench.log.subscription].map(([id, times]) => [id, times.length]),
  );
  const queue = queueCounts(bench.log);
  const onTime = moved.filter((schedule) => !late.has(schedule.newId));
  const mine = new Set(moved.flatMap((schedule) => [schedule.oldId, schedule.newId]));
  const ofThisRun = (counts: Map<string, number>) =>
    new Map([...counts].filter(([id]) => mine.has(id)));
  return {
    reschedulesPerSecond: perSecond,
    refused,
    movedAfterNewDue: late.size,
    verdicts: {
      subscription: judgeByIds(moved, subscriptionCounts),
      'output queue': judgeByIds(moved, queue),
    },
    lateness: {
      'ours: subscription': latenessAgainstNew(onTime, (id) => bench.log.subscription.get(id)?.[0]),
      'ours: output queue (firedAt)': latenessAgainstNew(
        onTime,
        (id) => bench.log.queue.get(id)?.[0]?.firedAtMs,
      ),
    },
    delivery: {
      subscription: countDeliveries(newDue.keys(), ofThisRun(subscriptionCounts)),
      'output queue': countDeliveries(newDue.keys(), ofThisRun(queue)),
    },
  };
}

/**
 * BullMQ: adds delayed jobs, then moves each with `getJob` and `changeDelay` (the id stays), and
 * judges each processing by the due time it is nearer to.
 */
export async function runPeerReschedule(
  redis: RedisServer,
  options: RescheduleRunOptions,
): Promise<RescheduleRun> {
  const name = `reschedule-${Date.now()}`;
  const connections: Redis[] = [connect(redis), connect(redis)];
  const queue = new Queue<JobData>(name, { connection: connections[0] as Redis });
  const receivedAt = new Map<string, number[]>();
  const worker = new Worker<JobData>(
    name,
    async (job: Job<JobData>) => {
      const id = job.id ?? '';
      receivedAt.set(id, [...(receivedAt.get(id) ?? []), Date.now()]);
    },
    { connection: connections[1] as Redis, concurrency: 50 },
  );
  try {
    await worker.waitUntilReady();
    options.progress.phase(`peer: BullMQ adds${options.bulk ? ' (addBulk of 25)' : ''}`);
    const { ids } = await addJobs(queue, options, options.oldDueMs);
    const { moved, refused, late, perSecond } = await moveAll(
      options.count,
      options,
      async (index) => {
        const id = ids[index] as string;
        const job = await queue.getJob(id);
        if (job === undefined) throw new Error(`peer job ${id} is missing before its move`);
        const newDueMs = options.newDueMs(index);
        await job.changeDelay(Math.max(0, newDueMs - Date.now()));
        return { oldId: id, oldDueMs: options.oldDueMs(index), newId: id, newDueMs };
      },
    );
    const lastDue = moved.reduce((latest, schedule) => Math.max(latest, schedule.newDueMs), 0);
    await waitUntil(() => receivedAt.size >= moved.length, lastDue + 30_000);
    await waitUntil(() => false, Date.now() + 1500);
    const onTime = moved.filter((schedule) => !late.has(schedule.newId));
    return {
      reschedulesPerSecond: perSecond,
      refused,
      movedAfterNewDue: late.size,
      verdicts: { 'BullMQ worker': judgeByTimes(moved, receivedAt) },
      lateness: {
        'peer: BullMQ worker': latenessAgainstNew(onTime, (id) => receivedAt.get(id)?.[0]),
      },
      delivery: {
        'peer: BullMQ': countDeliveries(
          moved.map((schedule) => schedule.newId),
          new Map([...receivedAt].map(([id, times]) => [id, times.length])),
        ),
      },
    };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    for (const connection of connections) connection.disconnect();
  }
}
