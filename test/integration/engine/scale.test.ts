import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Status } from '../../../src/domain/status.js';
import { MetricName } from '../../../src/engine/observability.js';
import {
  drainFired,
  firedCount,
  percentiles,
  startEngineHarness,
  type EngineHarness,
} from '../../helpers/engine-harness.js';
import { createSchedules } from '../../helpers/engine-schedules.js';

const TOTAL = 10_000;
const FAR_PATH = 1_000;

/** How many items of the table have each status. */
async function statusCounts(harness: EngineHarness): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let startKey: Record<string, never> | undefined;
  do {
    const page = await harness.dynamo.send(
      new ScanCommand({
        TableName: harness.services.tableName,
        ProjectionExpression: '#s',
        ExpressionAttributeNames: { '#s': 'status' },
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    for (const item of page.Items ?? []) {
      const status = item['status']?.S;
      if (status !== undefined) counts[status] = (counts[status] ?? 0) + 1;
    }
    startKey = page.LastEvaluatedKey as typeof startKey;
  } while (startKey !== undefined);
  return counts;
}

describe('10,000 schedules over 3 shards (dynalite, fauxqs; AppSync replaced by a local SigV4-verifying recorder)', () => {
  let harness: EngineHarness;
  beforeAll(async () => {
    // Horizon 12 s: schedules due sooner take the fast path (QUEUED with their own message, as
    // the resolver sends it); later ones wait in the table for the feeder. The grace is long
    // because a backlog longer than the grace makes the feeder re-send on purpose.
    harness = await startEngineHarness({
      env: {
        FAST_PATH_HORIZON_SECONDS: '12',
        SEND_CONCURRENCY: '16',
        STRANDED_GRACE_SECONDS: '600',
      },
      visibilityTimeoutSeconds: 60,
    });
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('fires every schedule exactly once', { timeout: 300_000 }, async () => {
    // Prepare: 9,000 due over the last 20 s and the next 5 s (fast path), 1,000 due 13 to 18 s
    // ahead (far path, through the feeder).
    const start = Date.now();
    const spread = (count: number, from: number, to: number) =>
      Array.from({ length: count }, (_, i) => ({
        dueAtMs: start + from + Math.floor((i * (to - from)) / count),
      }));
    const items = await createSchedules(harness.target, [
      ...spread(TOTAL - FAR_PATH, -20_000, 5_000),
      ...spread(FAR_PATH, 13_000, 18_000),
    ]);
    const written = Date.now();

    // Act
    await harness.pump({
      done: () => firedCount(harness) >= TOTAL,
      timeoutMs: 270_000,
      pollers: 8,
      feederEveryMs: 60_000,
    });
    const finished = Date.now();

    // Assess
    const fired = await drainFired(harness);
    const ids = fired.map((e) => e.id);
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(new Set(ids)).toEqual(new Set(items.map((item) => item.id)));
    expect(new Set(harness.recorder.calls.map((c) => c.input.id)).size).toBe(TOTAL);
    expect(harness.recorder.calls).toHaveLength(TOTAL);
    expect(harness.recorder.rejected).toEqual([]);
    expect(harness.metrics.total(MetricName.droppedDuplicate)).toBe(0);
    expect(await statusCounts(harness)).toEqual({ [Status.fired]: TOTAL });
    expect(items.filter((item) => item.status === Status.pending)).toHaveLength(FAR_PATH);
    expect(harness.metrics.total(MetricName.sent)).toBe(FAR_PATH);
    const shards = new Set(items.map((item) => item.pk.slice(-2)));
    expect(shards).toEqual(new Set(['#0', '#1', '#2']));

    const farIds = new Set(items.filter((i) => i.status === Status.pending).map((i) => i.id));
    const feederPath = percentiles(fired.filter((e) => farIds.has(e.id)).map((e) => e.latenessMs));
    const dueAfterWrites = fired.filter((e) => Date.parse(e.dueAt) >= written);
    const pastDue = fired.filter((e) => Date.parse(e.dueAt) < start);
    expect(Math.min(...dueAfterWrites.map((e) => e.latenessMs))).toBeGreaterThanOrEqual(0);
    console.info(
      `10k run: writes ${written - start} ms; all fired ${finished - written} ms after the writes`,
      '\nlateness, feeder path (ms)',
      feederPath,
      `\nlateness, the ${dueAfterWrites.length} due after the writes (ms)`,
      percentiles(dueAfterWrites.map((e) => e.latenessMs)),
      '\npast-due schedules, fired after the writes (ms)',
      percentiles(pastDue.map((e) => Date.parse(e.firedAt) - written)),
    );
  });

  it('fires 1,000 schedules due over 10 s (100 a second) close to their due millisecond', async () => {
    // Prepare: due 6 to 16 s ahead; those beyond the 12 s horizon go through the feeder.
    const start = Date.now();
    const before = firedCount(harness);
    const items = await createSchedules(
      harness.target,
      Array.from({ length: 1000 }, (_, i) => ({ dueAtMs: start + 6000 + i * 10 })),
    );

    // Act
    await harness.pump({
      done: () => firedCount(harness) >= before + 1000,
      timeoutMs: 40_000,
      pollers: 8,
      feederEveryMs: 60_000,
    });

    // Assess
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id).sort()).toEqual(items.map((item) => item.id).sort());
    const lateness = percentiles(fired.map((e) => e.latenessMs));
    expect(Math.min(...fired.map((e) => e.latenessMs))).toBeGreaterThanOrEqual(0);
    expect(lateness.p50).toBeLessThan(1000);
    console.info('1,000 at 100/s: lateness (ms)', lateness);
  });
});
