import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { countDeliveries, type DeliveryCount } from './stats.js';
import { runPool, waitUntil } from './pool.js';
import type { RedisServer } from './redis-server.js';
import { chunkRanges } from './scheduler-api.js';

/** What the peer measured for a burst: lateness of each processed job and delivery counts. */
export interface PeerBurst {
  readonly lateness: number[];
  readonly delivery: DeliveryCount;
  readonly addsPerSecond: number;
  /** When the last add returned (epoch ms). */
  readonly addedByMs: number;
}

/** What a peer job carries. */
export interface JobData {
  readonly dueAtMs: number;
}

/** A Redis connection for BullMQ. */
export function connect(redis: RedisServer): Redis {
  // Workers block on Redis, which BullMQ requires to be retried without a per-request cap.
  return new Redis({ host: redis.host, port: redis.port, maxRetriesPerRequest: null });
}

/** How the peer adds its jobs. */
export interface PeerAddOptions {
  readonly count: number;
  /** Adds (or bulk adds) in flight. */
  readonly concurrency: number;
  /** `addBulk` of 25 jobs per call instead of one `add` each. @default false */
  readonly bulk?: boolean;
}

/** Adds `count` delayed jobs with ids `job-<index>`; resolves with their ids and adds/s. */
export async function addJobs(
  queue: Queue<JobData>,
  options: PeerAddOptions,
  dueAtMs: (index: number) => number,
): Promise<{ ids: string[]; addsPerSecond: number }> {
  const ids: string[] = [];
  const job = (index: number) => {
    const due = dueAtMs(index);
    const jobId = `job-${index}`;
    ids.push(jobId);
    return {
      name: 'fire',
      data: { dueAtMs: due },
      opts: { jobId, delay: Math.max(0, due - Date.now()) },
    };
  };
  const started = performance.now();
  if (options.bulk === true) {
    const chunks = chunkRanges(options.count);
    await runPool(chunks.length, options.concurrency, async (chunk) => {
      const { start, end } = chunks[chunk] as { start: number; end: number };
      await queue.addBulk(Array.from({ length: end - start }, (_, offset) => job(start + offset)));
    });
  } else {
    await runPool(options.count, options.concurrency, async (index) => {
      const { name, data, opts } = job(index);
      await queue.add(name, data, opts);
    });
  }
  return { ids, addsPerSecond: options.count / ((performance.now() - started) / 1000) };
}

/**
 * BullMQ's answer to a burst: `count` delayed jobs, all due at `dueAtMs`, added with
 * `concurrency` adds in flight, processed by one worker with `workerConcurrency`; lateness is
 * the time the processor starts minus the due time.
 */
export async function runPeerBurst(
  redis: RedisServer,
  options: PeerAddOptions & {
    dueAtMs: (index: number) => number;
    timeoutMs: number;
    workerConcurrency?: number;
  },
): Promise<PeerBurst> {
  const name = `burst-${Date.now()}`;
  const connections = [connect(redis), connect(redis)];
  const queue = new Queue<JobData>(name, { connection: connections[0] as Redis });
  const received = new Map<string, number>();
  const lateness: number[] = [];
  const worker = new Worker<JobData>(
    name,
    async (job: Job<JobData>) => {
      lateness.push(Date.now() - job.data.dueAtMs);
      received.set(job.id ?? '', (received.get(job.id ?? '') ?? 0) + 1);
    },
    { connection: connections[1] as Redis, concurrency: options.workerConcurrency ?? 50 },
  );
  try {
    await worker.waitUntilReady();
    const { ids, addsPerSecond } = await addJobs(queue, options, options.dueAtMs);
    const addedByMs = Date.now();
    // A loop, not Math.max(...): a spread of a few hundred thousand arguments overflows the stack.
    let lastDue = 0;
    for (let index = 0; index < ids.length; index += 1) {
      lastDue = Math.max(lastDue, options.dueAtMs(index));
    }
    await waitUntil(() => received.size >= options.count, lastDue + options.timeoutMs);
    return { lateness, delivery: countDeliveries(ids, received), addsPerSecond, addedByMs };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    for (const connection of connections) connection.disconnect();
  }
}

/** BullMQ's add throughput: `count` jobs delayed by a day, `concurrency` adds in flight. */
export async function runPeerCreate(redis: RedisServer, options: PeerAddOptions): Promise<number> {
  const connection = connect(redis);
  const queue = new Queue<JobData>(`create-${Date.now()}`, { connection });
  try {
    await queue.waitUntilReady();
    const dueAtMs = Date.now() + 86_400_000;
    const { addsPerSecond } = await addJobs(queue, options, () => dueAtMs);
    return addsPerSecond;
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
}
