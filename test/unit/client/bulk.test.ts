import { describe, expect, it } from 'vitest';
import { runInChunks, type BulkProgress, type ItemResult } from '../../../src/client/bulk.js';
import { SchedulerError } from '../../../src/client/errors.js';

type Outcome = ItemResult<number>;
const failedItem = (_item: number, error: { errorType: string; message: string }): Outcome => ({
  ok: false,
  error,
});

describe('runInChunks', () => {
  it('answers one result per item in input order, whatever order the chunks finish in', async () => {
    // Prepare: later chunks answer sooner, so completion order is the reverse of input order.
    const items = Array.from({ length: 60 }, (_, i) => i);
    const chunks: number[][] = [];
    const progress: BulkProgress[] = [];

    // Act
    const results = await runInChunks(
      items,
      { chunkSize: 25, concurrency: 3, onProgress: (p) => progress.push(p) },
      async (chunk) => {
        chunks.push([...chunk]);
        await new Promise((resolve) => setTimeout(resolve, 60 - (chunk[0] ?? 0)));
        return chunk.map((n): Outcome => ({ ok: true, schedule: n * 10 }));
      },
      failedItem,
    );

    // Assess
    expect(chunks.map((chunk) => chunk.length)).toEqual([25, 25, 10]);
    expect(results).toEqual(items.map((n) => ({ ok: true, schedule: n * 10 })));
    expect(progress.map((p) => p.done)).toEqual([10, 35, 60]);
    expect(progress.at(-1)).toEqual({ total: 60, done: 60, succeeded: 60, failed: 0 });
  });

  it('turns a failed request into an error per item of its chunk and keeps the other chunks', async () => {
    // Act
    const results = await runInChunks(
      [1, 2, 3, 4, 5],
      { chunkSize: 2, concurrency: 1 },
      async (chunk) => {
        if (chunk.includes(3))
          throw new SchedulerError([{ message: 'throttled', errorType: 'Throttled' }]);
        if (chunk.includes(5)) throw new TypeError('fetch failed', { cause: 'ECONNRESET' });
        return chunk.map((n): Outcome => ({ ok: true, schedule: n }));
      },
      failedItem,
    );

    // Assess
    expect(results).toEqual([
      { ok: true, schedule: 1 },
      { ok: true, schedule: 2 },
      { ok: false, error: { errorType: 'Throttled', message: 'throttled' } },
      { ok: false, error: { errorType: 'Throttled', message: 'throttled' } },
      { ok: false, error: { errorType: 'RequestFailed', message: 'fetch failed: ECONNRESET' } },
    ]);
  });

  it('marks items a short response left out as MissingResult', async () => {
    const results = await runInChunks(
      [1, 2, 3],
      {},
      async (chunk) => chunk.slice(0, 1).map((n): Outcome => ({ ok: true, schedule: n })),
      failedItem,
    );
    expect(results[0]).toEqual({ ok: true, schedule: 1 });
    expect(results.slice(1).map((r) => (r.ok ? null : r.error.errorType))).toEqual([
      'MissingResult',
      'MissingResult',
    ]);
  });

  it.each([
    [{ chunkSize: 26 }, 'chunkSize must be an integer from 1 to 25. Received: 26'],
    [{ chunkSize: 0 }, 'chunkSize must be an integer from 1 to 25. Received: 0'],
    [{ concurrency: 1.5 }, 'concurrency must be a positive integer. Received: 1.5'],
  ])('refuses %j', async (options, message) => {
    await expect(runInChunks([1], options, async () => [], failedItem)).rejects.toThrow(message);
  });
});
