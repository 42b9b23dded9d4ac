import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { countDeliveries, type DeliveryCount } from './stats.js';
import { runPool, waitUntil } from './pool.js';
import type { RedisServer } from './redis-server.js';

/** What the peer measured for a burst: lateness of each processed job and delivery counts. */
export interface PeerBurst {
  readonly lateness: number[];
  readonly delivery: DeliveryCount;
  readonly addsPerSecond: number;
}

interface JobData {
  readonly dueAtMs: number;
}

function connect(redis: RedisServer): Redis {
  // Workers block on Redis, which BullMQ requires to be retried without a per-request cap.
  return new Redis({ host: redis.host, port: redis.port, maxRetriesPerRequest: null });
}

async function addJobs(
  queue: Queue<JobData>,
  count: number,
  concurrency: number,
  dueAtMs: (index: number) => number,
): Promise<{ ids: string[]; addsPerSecond: number }> {
  const ids: string[] = [];
  const started = performance.now();
  await runPool(count, concurrency, async (index) => {
    const due = dueAtMs(index);
    const jobId = `job-${index}`;
    await queue.add('fire', { dueAtMs: due }, { jobId, delay: Math.max(0, due - Date.now()) });
    ids.push(jobId);
  });
  return { ids, addsPerSecond: count / ((performance.now() - started) / 1000) };
}

/**
 * BullMQ's answer to a burst: `count` delayed jobs, all due at `dueAtMs`, added with
 * `concurrency` adds in flight, processed by one worker with `workerConcurrency`; lateness is
 * the time the processor starts minus the due time.
 */
export async function runPeerBurst(
  redis: RedisServer,
  options: {
    count: number;
    concurrency: number;
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
    const { ids, addsPerSecond } = await addJobs(
      queue,
      options.count,
      options.concurrency,
      options.dueAtMs,
    );
    const lastDue = Math.max(...ids.map((_, index) => options.dueAtMs(index)));
    await waitUntil(() => received.size >= options.count, lastDue + options.timeoutMs);
    return { lateness, delivery: countDeliveries(ids, received), addsPerSecond };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    for (const connection of connections) connection.disconnect();
  }
}

/** BullMQ's add throughput: `count` jobs delayed by a day, `concurrency` adds in flight. */
export async function runPeerCreate(
  redis: RedisServer,
  options: { count: number; concurrency: number },
): Promise<number> {
  const connection = connect(redis);
  const queue = new Queue<JobData>(`create-${Date.now()}`, { connection });
  try {
    await queue.waitUntilReady();
    const dueAtMs = Date.now() + 86_400_000;
    const { addsPerSecond } = await addJobs(
      queue,
      options.count,
      options.concurrency,
      () => dueAtMs,
    );
    return addsPerSecond;
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
}
