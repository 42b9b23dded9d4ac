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
const SPREAD_MS = 30_000;

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
    // the resolver sends it); later ones wait in the table and go through the feeder.
    harness = await startEngineHarness({
      env: {
        FAST_PATH_HORIZON_SECONDS: '12',
        SEND_CONCURRENCY: '16',
        STRANDED_GRACE_SECONDS: '60',
      },
      visibilityTimeoutSeconds: 30,
    });
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('fires every schedule exactly once', { timeout: 300_000 }, async () => {
    // Prepare: due times spread evenly from 15 s ago to 15 s ahead.
    const start = Date.now();
    const items = await createSchedules(
      harness.target,
      Array.from({ length: TOTAL }, (_, i) => ({
        dueAtMs: start - SPREAD_MS / 2 + Math.floor((i * SPREAD_MS) / TOTAL),
      })),
    );
    const written = Date.now();

    // Act
    await harness.pump({
      done: () => firedCount(harness) >= TOTAL,
      timeoutMs: 270_000,
      pollers: 16,
      feederEveryMs: 15_000,
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
    const shards = new Set(items.map((item) => item.pk.slice(-2)));
    expect(shards).toEqual(new Set(['#0', '#1', '#2']));

    const future = fired.filter((e) => Date.parse(e.dueAt) >= written);
    const futureLateness = percentiles(future.map((e) => e.latenessMs));
    const pastFiredAfterWrite = percentiles(
      fired.filter((e) => Date.parse(e.dueAt) < start).map((e) => Date.parse(e.firedAt) - written),
    );
    expect(Math.min(...future.map((e) => e.latenessMs))).toBeGreaterThanOrEqual(0);
    expect(futureLateness.p50).toBeLessThan(5000);
    console.info(
      `10k run: writes ${written - start} ms, all fired ${finished - written} ms after the writes; ` +
        `${items.filter((item) => item.status === Status.pending).length} through the feeder; ` +
        `lateness of the ${future.length} due after the writes (ms)`,
      futureLateness,
      'past-due schedules fired after the writes (ms)',
      pastFiredAfterWrite,
    );
  });
});
