import { runPool } from './pool.js';
import {
  chunkRanges,
  createSchedule,
  createSchedules,
  type ApiTarget,
  type CreatedSchedule,
} from './scheduler-api.js';

/** How to create a run's schedules through the API. */
export interface CreateManyOptions {
  readonly count: number;
  /** Requests in flight (each of up to 25 schedules when `bulk`). */
  readonly concurrency: number;
  /** One `createSchedules` request per 25 schedules instead of one `createSchedule` each. */
  readonly bulk: boolean;
  /** Due time (epoch ms) of the schedule with this index. */
  readonly dueAtMs: (index: number) => number;
  /** @default `{ index }` */
  readonly payload?: (index: number) => unknown;
  /** Called as each schedule is accepted, with the time its request returned. */
  readonly onCreated?: (index: number, created: CreatedSchedule, returnedAtMs: number) => void;
}

/**
 * Creates `count` schedules with `concurrency` requests in flight, singly or 25 to a request;
 * resolves with the creates per second. Due times are taken when each request is sent.
 */
export async function createMany(target: ApiTarget, options: CreateManyOptions): Promise<number> {
  const payload = options.payload ?? ((index: number) => ({ index }));
  const started = performance.now();
  if (options.bulk) {
    const chunks = chunkRanges(options.count);
    await runPool(chunks.length, options.concurrency, async (chunk) => {
      const { start, end } = chunks[chunk] as { start: number; end: number };
      const indexes = Array.from({ length: end - start }, (_, offset) => start + offset);
      const created = await createSchedules(
        target,
        indexes.map((index) => ({
          dueAt: new Date(options.dueAtMs(index)),
          payload: payload(index),
        })),
      );
      const returnedAtMs = Date.now();
      created.forEach((schedule, offset) =>
        options.onCreated?.(start + offset, schedule, returnedAtMs),
      );
    });
  } else {
    await runPool(options.count, options.concurrency, async (index) => {
      const created = await createSchedule(
        target,
        new Date(options.dueAtMs(index)),
        payload(index),
      );
      options.onCreated?.(index, created, Date.now());
    });
  }
  return options.count / ((performance.now() - started) / 1000);
}
