import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../src/aws/clients.js';
import { startChildStack, type ChildStack } from '../helpers/reliability-process.js';
import {
  createBurst,
  drainQueue,
  percentile,
  scanTable,
  waitFor,
} from '../helpers/reliability-stack.js';

/** Short grace and lease so recovery after a kill takes seconds, not the cloud's minutes. */
const ENV = {
  STRANDED_GRACE_SECONDS: '3',
  FEEDER_MAX_RUN_SECONDS: '3',
  FEEDER_STOP_MARGIN_MS: '0',
};
const OPTIONS = { feederIntervalSeconds: 1, pollWaitSeconds: 1, visibilityTimeoutSeconds: 5 };

interface Recovery {
  readonly unfired: string[];
  readonly deliveredAfterRestart: number;
  readonly latenessMs: number[];
}

/** Waits until every accepted schedule is FIRED in the table, then reads the new output queue. */
async function recover(stack: ChildStack, accepted: ReadonlySet<string>): Promise<Recovery> {
  let unfired = [...accepted];
  await waitFor(
    async () => {
      const items = await scanTable(stack.dynamoEndpoint, stack.tableName);
      const fired = new Set(
        items.filter((item) => item['status'] === 'FIRED').map((item) => String(item['id'])),
      );
      unfired = [...accepted].filter((id) => !fired.has(id));
      return unfired.length === 0;
    },
    90_000,
    1_000,
  );
  const sqs = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
  const seen = await drainQueue(sqs, stack.outputQueueUrl, () => false, 3_000);
  sqs.destroy();
  const latenessMs = seen.bodies.map((body) => Number(body['latenessMs']));
  return { unfired, deliveredAfterRestart: seen.counts.size, latenessMs };
}

describe('kill -9 of the local stack and restart on the same data directory', () => {
  const children: ChildStack[] = [];
  const dirs: string[] = [];

  const start = async (dataDir: string, env: Record<string, string>, feederIntervalSeconds = 1) => {
    const child = await startChildStack(
      { ...OPTIONS, dataDir, feederIntervalSeconds },
      { ...ENV, ...env },
    );
    children.push(child);
    return child;
  };

  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it(
    'fires every accepted schedule after a kill in the middle of a burst',
    { timeout: 180_000 },
    async () => {
      // Prepare
      const dataDir = await mkdtemp(join(tmpdir(), 'scheduler-crash-'));
      dirs.push(dataDir);
      const before = await start(dataDir, {});
      const dueTimes = Array.from({ length: 400 }, (_, i) => Date.now() + 4_000 + i * 10);
      let killing: Promise<void> | undefined;
      // Act: the kill lands while creates are in flight, after 150 were accepted
      const burst = await createBurst(before.graphqlUrl, { apiKey: before.apiKey }, dueTimes, {
        attempts: 1,
        onAccepted: (count) => {
          if (count >= 150) killing ??= before.kill();
        },
      });
      await killing;
      const killedAt = Date.now();
      const after = await start(dataDir, {});
      const recovery = await recover(after, new Set(burst.accepted.keys()));
      // Assess
      console.info(
        JSON.stringify({
          crash: 'mid-burst',
          accepted: burst.accepted.size,
          refusedByKill: Object.fromEntries(burst.failures),
          deliveredAfterRestart: recovery.deliveredAfterRestart,
          recoveredWithinMs: Date.now() - killedAt,
          latenessAfterRestartMs: {
            p50: percentile(recovery.latenessMs, 50),
            max: percentile(recovery.latenessMs, 100),
          },
        }),
      );
      expect(burst.accepted.size).toBeGreaterThan(0);
      expect(burst.accepted.size).toBeLessThan(400);
      expect(recovery.unfired).toEqual([]);
    },
  );

  it(
    'fires every schedule after a kill in the middle of a feeder run',
    { timeout: 180_000 },
    async () => {
      // Prepare: schedules wait in the table while the feeder is idle
      const dataDir = await mkdtemp(join(tmpdir(), 'scheduler-crash-'));
      dirs.push(dataDir);
      const env = { FAST_PATH_HORIZON_SECONDS: '0', SEND_CONCURRENCY: '1' };
      const loader = await start(dataDir, env, 3600);
      const dueTimes = Array.from({ length: 300 }, (_, i) => Date.now() + 15_000 + i * 5);
      const burst = await createBurst(loader.graphqlUrl, { apiKey: loader.apiKey }, dueTimes);
      await loader.kill();
      // Act: the restarted stack's first pass hands the 600 over; it is killed part-way through
      const feeding = await start(dataDir, env);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await feeding.kill();
      const killedAt = Date.now();
      const after = await start(dataDir, env);
      const items = await scanTable(after.dynamoEndpoint, after.tableName);
      const queuedAtKill = items.filter((item) => item['status'] === 'QUEUED').length;
      const recovery = await recover(after, new Set(burst.accepted.keys()));
      // Assess
      console.info(
        JSON.stringify({
          crash: 'mid-feeder-run',
          accepted: burst.accepted.size,
          queuedAtKill,
          deliveredAfterRestart: recovery.deliveredAfterRestart,
          recoveredWithinMs: Date.now() - killedAt,
          latenessAfterRestartMs: {
            p50: percentile(recovery.latenessMs, 50),
            max: percentile(recovery.latenessMs, 100),
          },
        }),
      );
      expect(burst.accepted.size).toBeGreaterThan(250);
      expect(recovery.unfired).toEqual([]);
    },
  );
});
