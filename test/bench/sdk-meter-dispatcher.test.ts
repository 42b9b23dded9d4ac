import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchStack, type BenchStack } from '../../bench/lib/bench-stack.js';
import { createMany } from '../../bench/lib/create-many.js';
import { diffSdkCounts, type SdkCounts } from '../../bench/lib/sdk-meter.js';

const COUNT = 3;

/** Resolves once `done` holds, or rejects after `timeoutMs` saying what was awaited. */
async function waitFor(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The dispatcher runs in its own worker thread with its own SDK clients: the cost scenario's
// meter must still see their calls (the claim, the recorded delivery, the delay-queue receives).
describe('bench SDK meter on a local stack (dynalite, fauxqs)', () => {
  let bench: BenchStack;
  let calls: SdkCounts;
  let closed = false;

  beforeAll(async () => {
    // Prepare
    bench = await startBenchStack({ pollers: 2 });
    const before = bench.sdk.snapshot();
    // Act: fire a few schedules, then stop the stack, which hands over every relayed call.
    await createMany(bench.stack, {
      count: COUNT,
      concurrency: COUNT,
      bulk: false,
      dueAtMs: () => Date.now() + 1000,
    });
    await waitFor(
      `${COUNT} deliveries on the output queue`,
      () => bench.log.queue.size === COUNT,
      20_000,
    );
    await bench.close();
    closed = true;
    calls = diffSdkCounts(before, bench.sdk.snapshot());
  }, 60_000);

  afterAll(async () => {
    if (!closed) await bench?.close();
  });

  it("counts the dispatcher thread's claims and recorded deliveries (UpdateItem)", () => {
    // Assess: two updates a firing, made only by the dispatcher.
    expect(calls['dynamodb UpdateItem']?.calls ?? 0, JSON.stringify(calls)).toBeGreaterThanOrEqual(
      2 * COUNT,
    );
  });

  it("counts the dispatcher thread's delay-queue receives that carried messages", () => {
    // Assess: each non-empty receive is one dispatcher invocation.
    const receives = calls['sqs ReceiveMessage'];
    expect(receives?.nonEmpty ?? 0, JSON.stringify(calls)).toBeGreaterThanOrEqual(1);
    expect(receives?.messages ?? 0, JSON.stringify(calls)).toBeGreaterThanOrEqual(COUNT);
  });
});
