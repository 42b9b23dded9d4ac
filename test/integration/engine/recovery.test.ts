import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { FeederStateStore } from '../../../src/aws/feeder-state-store.js';
import { ScheduleStore } from '../../../src/aws/schedule-store.js';
import { bucketStartMs } from '../../../src/domain/keys.js';
import { Status } from '../../../src/domain/status.js';
import { createFeeder, type FeederReport } from '../../../src/engine/feeder.js';
import type { HandOverCounts } from '../../../src/engine/hand-over.js';
import {
  drainFired,
  firedCount,
  percentiles,
  startEngineHarness,
  type EngineHarness,
} from '../../helpers/engine-harness.js';
import {
  cancelSchedule,
  createSchedule,
  createSchedules,
  readSchedule,
} from '../../helpers/engine-schedules.js';
import type { ScheduleItem } from '../../../src/domain/schedule-item.js';

const MINUTE = 60_000;

describe('feeder recovery over dynalite and fauxqs (AppSync replaced by a local SigV4-verifying recorder)', () => {
  let harness: EngineHarness;
  beforeAll(async () => {
    harness = await startEngineHarness();
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('fires everything due during a feeder outage once, on the first run back', async () => {
    // Prepare: the feeder last ran 25 minutes ago; since then far-path schedules fell due, and
    // fast-path ones were queued whose messages were lost with the queue.
    const now = Date.now();
    const state = new FeederStateStore(harness.dynamo, harness.services.tableName);
    const lastRun = now - 25 * MINUTE;
    for (const shard of [0, 1, 2]) {
      await state.advanceWatermark(shard, bucketStartMs(lastRun, 60), lastRun);
    }
    const farPath = await createSchedules(
      harness.target,
      Array.from({ length: 60 }, (_, i) => ({
        dueAtMs: now - 20 * MINUTE + i * 15_000,
        createdAtMs: now - 60 * MINUTE,
      })),
    );
    const lostFastPath = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createSchedule(harness.target, {
          dueAtMs: now - 10 * MINUTE + i * MINUTE,
          createdAtMs: now - 10 * MINUTE + i * MINUTE - 5000,
          loseMessage: true,
        }),
      ),
    );
    expect(farPath.every((item) => item.status === Status.pending)).toBe(true);
    expect(lostFastPath.every((item) => item.status === Status.queued)).toBe(true);

    // Act
    const recoveryStart = Date.now();
    const firstRun = await harness.feeder.runAllShards();
    await harness.pump({ done: () => firedCount(harness) >= 66, timeoutMs: 15_000 });
    // The watermark's upper limit moves with the clock; bracket the second run with it.
    const limitBefore = bucketStartMs(Date.now() - 5000 - 30_000, 60);
    const secondRun = await harness.feeder.runAllShards();
    const limitAfter = bucketStartMs(Date.now() - 5000 - 30_000, 60);

    // Assess
    expect(firstRun.reduce((sum, r) => sum + r.sent, 0)).toBe(60);
    expect(firstRun.reduce((sum, r) => sum + r.resent, 0)).toBe(6);
    expect(firstRun.every((r) => r.bucketsRead >= 25)).toBe(true);
    const fired = await drainFired(harness);
    const expected = [...farPath, ...lostFastPath].map((item) => item.id).sort();
    expect(fired.map((e) => e.id).sort()).toEqual(expected);
    expect(secondRun.reduce((sum, r) => sum + r.sent + r.resent, 0)).toBe(0);
    expect(secondRun.every((r) => r.watermark === limitBefore || r.watermark === limitAfter)).toBe(
      true,
    );
    const lateness = percentiles(fired.map((e) => e.latenessMs));
    const sinceRecovery = percentiles(fired.map((e) => Date.parse(e.firedAt) - recoveryStart));
    expect(lateness.max).toBeLessThan(21 * MINUTE);
    expect(sinceRecovery.max).toBeLessThan(10_000);
    console.info(
      'outage recovery: lateness (ms)',
      lateness,
      'fired after restart (ms)',
      sinceRecovery,
    );
  });

  it('re-sends a stranded hand-over (QUEUED, message never sent) once the grace has passed', async () => {
    // Prepare: the fast-path put succeeded, its SendMessage failed.
    const item = await createSchedule(harness.target, {
      dueAtMs: Date.now() + 200,
      loseMessage: true,
    });
    const graceMs = harness.settings.strandedGraceSeconds * 1000;
    const later = createFeeder({ ...harness.feederDeps, clock: () => Date.now() + graceMs + 1000 });

    // Act
    const tooSoon = await harness.feeder.runAllShards();
    const afterGrace = await later.runAllShards();
    const before = firedCount(harness);
    await harness.pump({ done: () => firedCount(harness) > before, timeoutMs: 5000 });

    // Assess
    expect(tooSoon.reduce((sum, r) => sum + r.resent, 0)).toBe(0);
    expect(afterGrace.reduce((sum, r) => sum + r.resent, 0)).toBe(1);
    expect((await drainFired(harness)).map((e) => e.id)).toEqual([item.id]);
    expect(await readSchedule(harness.target, item)).toMatchObject({
      status: Status.fired,
      sendCount: 2,
    });
  });
  /** Claims `item` as a dispatcher would, by `messageId` at `nowMs`, and delivers nothing. */
  const claimOnly = async (item: ScheduleItem, messageId: string, nowMs: number) => {
    const store = new ScheduleStore(harness.dynamo, harness.services.tableName);
    const claimed = await store.claim({ key: item, messageId, nowMs, staleBeforeMs: nowMs });
    expect(claimed?.status).toBe(Status.firing);
    return claimed!;
  };
  const total = (reports: readonly FeederReport[], field: keyof HandOverCounts) =>
    reports.reduce((sum, r) => sum + r[field], 0);

  it('re-delivers a claim whose process died before delivering, once the claim is stale', async () => {
    // Prepare: the dispatcher claimed the schedule, then died; its message died with the queue.
    const item = await createSchedule(harness.target, { dueAtMs: Date.now(), loseMessage: true });
    const claimedAtMs = Date.now();
    const claimed = await claimOnly(item, 'message-of-a-dead-process', claimedAtMs);
    const staleMs = harness.settings.claimStaleSeconds * 1000;
    const later = createFeeder({ ...harness.feederDeps, clock: () => Date.now() + staleMs + 1000 });
    const before = firedCount(harness);

    // Act
    const tooSoon = await harness.feeder.runAllShards();
    const afterStale = await later.runAllShards();
    await harness.pump({ done: () => firedCount(harness) > before, timeoutMs: 5000 });

    // Assess
    expect(total(tooSoon, 'redelivered')).toBe(0);
    expect(total(afterStale, 'redelivered')).toBe(1);
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id)).toEqual([item.id]);
    expect(fired[0]?.firedAt).toBe(claimed.firedAt);
    expect(harness.recorder.calls.filter((c) => c.input.id === item.id)).toHaveLength(1);
    const done = await readSchedule(harness.target, item);
    expect(done?.status).toBe(Status.fired);
    expect(done?.claimedBy).not.toBe('message-of-a-dead-process');
  });

  it("restart: clears a dead process's leases and re-hands-over every QUEUED and FIRING schedule at once", async () => {
    // Prepare: what a kill -9 leaves in the table, with the in-memory queue gone
    const now = Date.now();
    const state = new FeederStateStore(harness.dynamo, harness.services.tableName);
    for (const shard of [0, 1, 2]) {
      expect(await state.acquireLease(shard, 'previous-process', now, now + 55_000)).toBe(true);
    }
    const queuedDue = await createSchedule(harness.target, {
      dueAtMs: now - 2000,
      createdAtMs: now - 2500,
      loseMessage: true,
    });
    const queuedLater = await createSchedule(harness.target, {
      dueAtMs: now + 400_000,
      loseMessage: true,
    });
    const firing = await createSchedule(harness.target, { dueAtMs: now - 1000, loseMessage: true });
    await claimOnly(firing, 'message-of-a-dead-process', now - 500);
    const dead = await createSchedule(harness.target, { dueAtMs: now - 1000, loseMessage: true });
    await claimOnly(dead, 'message-of-a-dead-process', now - 500);
    await harness.dynamo.send(
      new UpdateItemCommand({
        TableName: harness.services.tableName,
        Key: { pk: { S: dead.pk }, sk: { S: dead.sk } },
        UpdateExpression: 'SET deliveryFailures = :n',
        ExpressionAttributeValues: { ':n': { N: String(harness.settings.maxDeliveryAttempts) } },
      }),
    );
    const before = firedCount(harness);

    // Act
    const blocked = await harness.feeder.runAllShards();
    const recovery = await harness.feeder.recoverAfterRestart();
    const recoveredAt = Date.now();
    await harness.pump({ done: () => firedCount(harness) >= before + 2, timeoutMs: 5000 });
    const firedWithinMs = Date.now() - recoveredAt;

    // Assess
    expect(blocked.every((r) => r.skipped)).toBe(true);
    expect(recovery.every((r) => !r.skipped && r.complete)).toBe(true);
    expect(total(recovery, 'resent')).toBe(2);
    expect(total(recovery, 'redelivered')).toBe(1);
    expect(total(recovery, 'deadLettered')).toBe(1);
    expect(firedWithinMs).toBeLessThan(3000);
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id).sort()).toEqual([queuedDue.id, firing.id].sort());
    expect(await readSchedule(harness.target, queuedLater)).toMatchObject({
      status: Status.queued,
      sendCount: 2,
    });
    expect(await harness.depth(harness.services.delayQueueUrl)).toBe(1);
    expect((await readSchedule(harness.target, dead))?.status).toBe(Status.firing);
    expect(await cancelSchedule(harness.target, queuedLater)).toBe(true);
  });
});
