/*
 * Lambda retries a failed or throttled asynchronous invocation later, so a stale feeder pass can
 * start while a newer one runs on the same shard (the stack limits this, see
 * infra/constructs/scheduler-engine.ts, but does not rule it out). The shard lease must make
 * that harmless: every schedule is handed over once, whichever pass runs and in whatever order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Status } from '../../../src/domain/status.js';
import { makeFeederHandler } from '../../../src/engine/feeder.js';
import { startEngineHarness, type EngineHarness } from '../../helpers/engine-harness.js';
import { createSchedules, readSchedule } from '../../helpers/engine-schedules.js';

describe('overlapping feeder passes over dynalite and fauxqs (AppSync replaced by a local recorder)', () => {
  let harness: EngineHarness;
  beforeAll(async () => {
    // Horizon 0: every future schedule waits in the table for the feeder.
    harness = await startEngineHarness({ env: { FAST_PATH_HORIZON_SECONDS: '0' } });
  });
  afterAll(async () => {
    await harness.stop();
  });

  /** Ids in the delay queue's messages, delayed or not. */
  async function queuedIds(): Promise<string[]> {
    const name = new URL(harness.services.delayQueueUrl).pathname.split('/').pop() ?? '';
    const contents = await harness.services.sqs.inspectQueue(name);
    const messages = [
      ...(contents?.ready ?? []),
      ...(contents?.delayed ?? []),
      ...(contents?.inflight ?? []).map((entry) => entry.message),
    ];
    return messages.map((message) => (JSON.parse(message.body) as { id: string }).id);
  }

  it('hands each schedule over once when stale passes run beside and after fresh ones', async () => {
    // Prepare
    const now = Date.now();
    const items = await createSchedules(
      harness.target,
      // Due within the lookahead but later than the test runs, so nothing is dispatched.
      Array.from({ length: 40 }, (_, i) => ({ dueAtMs: now + 40_000 + i * 25 })),
    );
    expect(items.every((item) => item.status === Status.pending)).toBe(true);
    const handler = makeFeederHandler(harness.feederDeps);
    const shards = Array.from({ length: harness.settings.shardCount }, (_, shard) => shard);

    // Act: three passes per shard at once (a stale retry, a throttled event, the fresh pass),
    // then one more stale pass per shard after they finished.
    const together = await Promise.all(
      shards.flatMap((shard) => [1, 2, 3].map(() => handler({ shard }))),
    );
    const late = await Promise.all(shards.map((shard) => handler({ shard })));
    const handedOver = await queuedIds();

    // Assess
    expect(together.reduce((sum, report) => sum + report.sent, 0)).toBe(40);
    expect(together.filter((report) => report.skipped).length).toBeGreaterThan(0);
    expect(late.reduce((sum, report) => sum + report.sent + report.resent, 0)).toBe(0);
    expect(handedOver.sort()).toEqual(items.map((item) => item.id).sort());
    for (const item of items) {
      expect(await readSchedule(harness.target, item)).toMatchObject({
        status: Status.queued,
        sendCount: 1,
      });
    }
  });
});
