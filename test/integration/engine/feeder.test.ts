import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeederStateStore } from '../../../src/aws/feeder-state-store.js';
import { bucketStartMs } from '../../../src/domain/keys.js';
import { Status } from '../../../src/domain/status.js';
import { createFeeder, makeFeederHandler } from '../../../src/engine/feeder.js';
import { MetricName } from '../../../src/engine/observability.js';
import {
  drainFired,
  firedCount,
  percentiles,
  startEngineHarness,
  type EngineHarness,
} from '../../helpers/engine-harness.js';
import { createSchedules, readSchedule } from '../../helpers/engine-schedules.js';

describe('feeder over dynalite and fauxqs (AppSync replaced by a local SigV4-verifying recorder)', () => {
  let harness: EngineHarness;
  beforeAll(async () => {
    // Horizon 0: every future schedule takes the far path and waits in the table for the feeder.
    harness = await startEngineHarness({ env: { FAST_PATH_HORIZON_SECONDS: '0' } });
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('fires far-path schedules through the feeder, once each, and leaves later ones pending', async () => {
    // Prepare
    const now = Date.now();
    const soon = await createSchedules(
      harness.target,
      Array.from({ length: 30 }, (_, i) => ({ dueAtMs: now + 2000 + i * 50 })),
    );
    const [later] = await createSchedules(harness.target, [{ dueAtMs: now + 3_600_000 }]);
    expect(soon.every((item) => item.status === Status.pending)).toBe(true);

    // Act
    const reports = await harness.feeder.runAllShards();
    await harness.pump({ done: () => firedCount(harness) >= 30, timeoutMs: 15_000 });

    // Assess
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(30);
    expect(new Set(reports.map((r) => r.shard))).toEqual(new Set([0, 1, 2]));
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id).sort()).toEqual(soon.map((item) => item.id).sort());
    expect(harness.recorder.calls.map((c) => c.input.id).sort()).toEqual(
      soon.map((item) => item.id).sort(),
    );
    expect(harness.recorder.rejected).toEqual([]);
    expect(harness.recorder.calls[0]?.query).toMatch(/\{ publishScheduleFired\(input: \$input\)/);
    const first = soon[0];
    expect(fired.find((e) => e.id === first?.id)?.payload).toBe(first?.payload);
    const lateness = fired.map((e) => e.latenessMs);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    expect(percentiles(lateness).max).toBeLessThan(3000);
    console.info('far path via the feeder: lateness (ms)', percentiles(lateness));
    expect((await readSchedule(harness.target, later!))?.status).toBe(Status.pending);
    const stored = await readSchedule(harness.target, first!);
    expect(stored).toMatchObject({ status: Status.fired, sendCount: 1 });
    expect(stored?.pendingOwner).toBeUndefined();
    expect(stored?.ttl).toBeGreaterThan(Date.now() / 1000 + 6 * 86_400);
  });

  it('stops cleanly when its time is up and leaves the rest to the next run', async () => {
    // Prepare
    const now = Date.now();
    const items = await createSchedules(
      harness.target,
      Array.from({ length: 40 }, (_, i) => ({ dueAtMs: now + 1500 + i })),
    );
    let pagesAllowed = 1;
    const feeder = createFeeder({
      ...harness.feederDeps,
      settings: { ...harness.settings, queryPageSize: 10, feederStopMarginMs: 0 },
    });

    // Act
    const cut = await feeder.runPass(0, () => (pagesAllowed-- > 0 ? 60_000 : 0));
    const rest = await feeder.runPass(0);

    // Assess
    const onShard0 = items.filter((item) => item.pk.endsWith('#0')).length;
    expect(cut).toMatchObject({ complete: false, skipped: false });
    expect(cut.sent).toBeLessThanOrEqual(10);
    expect(rest).toMatchObject({ complete: true, sent: onShard0 - cut.sent });
    expect(harness.metrics.total(MetricName.feederIncomplete)).toBeGreaterThanOrEqual(1);
    await harness.pump({ done: () => firedCount(harness) >= 30 + onShard0, timeoutMs: 15_000 });
    await drainFired(harness);
  });

  it('skips a shard whose lease another run holds', async () => {
    // Prepare
    const state = new FeederStateStore(harness.dynamo, harness.services.tableName);
    const now = Date.now();
    await state.acquireLease(1, 'another-run', now, now + 60_000);
    const handler = makeFeederHandler(harness.feederDeps);

    // Act
    const busy = await handler({ shard: 1 });
    const free = await handler({ shard: 2 });
    await state.releaseLease(1, 'another-run');
    const after = await handler({ shard: 1 });

    // Assess
    expect(busy.skipped).toBe(true);
    expect(free.skipped).toBe(false);
    expect(after.skipped).toBe(false);
  });

  it('refuses a feeder event that does not name a shard, saying what it received', async () => {
    const handler = makeFeederHandler(harness.feederDeps);
    await expect(handler({ shard: 7 })).rejects.toThrow(/integer from 0 to 2.*"shard":7/);
    await expect(handler({})).rejects.toThrow(/InvalidFeederEvent|received \{\}/);
  });

  it('moves the watermark only up to the advance limit and never past live work', async () => {
    // Prepare
    const state = new FeederStateStore(harness.dynamo, harness.services.tableName);

    // Act
    await harness.feeder.runAllShards();
    const watermarks = await Promise.all([0, 1, 2].map((shard) => state.readWatermark(shard)));

    // Assess
    const { strandedGraceSeconds, pastToleranceMs, bucketWidthSeconds } = harness.settings;
    const limit = bucketStartMs(
      Date.now() - strandedGraceSeconds * 1000 - pastToleranceMs,
      bucketWidthSeconds,
    );
    for (const watermark of watermarks) {
      expect(watermark).not.toBeNull();
      expect(watermark!).toBeLessThanOrEqual(limit);
    }
  });
});
