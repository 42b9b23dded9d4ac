/*
 * One create -> feed -> fire -> cancel cycle through the real feeder and dispatcher handlers
 * (test/helpers/engine-harness.ts): the engine's DynamoDB calls in the order production makes
 * them. SQS is fauxqs; AppSync is the harness's SigV4-verifying recorder.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Status } from '../../src/domain/status.js';
import {
  drainFired,
  firedCount,
  startEngineHarness,
  type EngineHarness,
} from '../helpers/engine-harness.js';
import { cancelSchedule, createSchedule, readSchedule } from '../helpers/engine-schedules.js';
import { withSharedDynamo } from '../helpers/local-services.js';
import type { BackendContext } from './backends.js';

/** Contract: far-path schedules fire once through the feeder; a cancelled one never does. */
export function engineCycleContract(context: () => BackendContext): void {
  let harness: EngineHarness;
  beforeAll(async () => {
    // Horizon 0: every future schedule takes the far path and waits in the table for the feeder.
    harness = await withSharedDynamo(context().dynamo, () =>
      startEngineHarness({ env: { FAST_PATH_HORIZON_SECONDS: '0' } }),
    );
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('create, cancel one, feed, fire the other once; a cancel after firing is refused', async () => {
    // Prepare
    const now = Date.now();
    const [kept, dropped] = await Promise.all([
      createSchedule(harness.target, { dueAtMs: now + 1_500, owner: 'cycle-owner' }),
      createSchedule(harness.target, { dueAtMs: now + 1_600, owner: 'cycle-owner' }),
    ]);
    expect([kept.status, dropped.status]).toEqual([Status.pending, Status.pending]);
    expect(await cancelSchedule(harness.target, dropped)).toBe(true);

    // Act
    const reports = await harness.feeder.runAllShards();
    await harness.pump({ done: () => firedCount(harness) >= 1, timeoutMs: 15_000 });
    const lateCancel = await cancelSchedule(harness.target, kept);

    // Assess
    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(1);
    const fired = await drainFired(harness);
    expect(fired.map((event) => event.id)).toEqual([kept.id]);
    expect(fired[0]?.payload).toBe(kept.payload);
    expect(harness.recorder.calls.map((call) => call.input.id)).toEqual([kept.id]);
    expect(lateCancel).toBe(false);
    const stored = await readSchedule(harness.target, kept);
    expect(stored).toMatchObject({ status: Status.fired, sendCount: 1 });
    expect(stored?.pendingOwner).toBeUndefined();
    expect(stored?.ttl).toBeGreaterThan(Date.now() / 1000);
    expect(await readSchedule(harness.target, dropped)).toMatchObject({
      status: Status.cancelled,
    });
  });

  it('a second feeder pass hands nothing over again', async () => {
    // Act
    const reports = await harness.feeder.runAllShards();

    // Assess
    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(0);
    expect(await harness.depth(harness.services.delayQueueUrl)).toBe(0);
  });
}
