import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../src/aws/clients.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/local/stack.js';
import { createBurst, drainQueue, percentile, scanTable } from '../helpers/reliability-stack.js';

const FULL = process.env['RELIABILITY_FULL'] === '1';
/** How long the feeder stays down past the last due time (the 10 minutes behind the flag). */
const OUTAGE_MS = FULL ? 600_000 : 6_000;
const SCHEDULES = 300;
/** Every schedule goes through the table, so only the feeder can hand it over. */
const ENV = { FAST_PATH_HORIZON_SECONDS: '0', STRANDED_GRACE_SECONDS: '5' };

describe(`feeder outage of ${OUTAGE_MS / 1000} s with schedules due inside it`, () => {
  const stacks: LocalStack[] = [];
  let dataDir = '';

  const start = async (options: LocalStackOptions) => {
    const stack = await startLocalStack({
      dataDir,
      port: 0,
      quiet: true,
      pollWaitSeconds: 1,
      env: ENV,
      ...options,
    });
    stacks.push(stack);
    return stack;
  };

  afterAll(async () => {
    for (const stack of stacks) await stack.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'fires every schedule exactly once when the feeder comes back',
    { timeout: OUTAGE_MS + 120_000 },
    async () => {
      // Prepare: the only feeder pass runs at start-up, before any schedule exists
      dataDir = await mkdtemp(join(tmpdir(), 'scheduler-outage-'));
      const down = await start({ feederIntervalSeconds: 3600 });
      const first = Date.now() + 8_000 + SCHEDULES * 20;
      const dueTimes = Array.from({ length: SCHEDULES }, (_, i) => first + i * 10);
      const burst = await createBurst(down.graphqlUrl, { apiKey: down.apiKey }, dueTimes);
      // Act
      await new Promise((resolve) =>
        setTimeout(resolve, first + SCHEDULES * 10 + OUTAGE_MS - Date.now()),
      );
      const firedDuringOutage = down.fired.length;
      await down.stop();
      const restartedAt = Date.now();
      const up = await start({ feederIntervalSeconds: 1 });
      const sqs = createSqsClient({ sqsEndpoint: up.sqsEndpoint });
      const deliveries = await drainQueue(
        sqs,
        up.outputQueueUrl,
        (seen) => seen.counts.size >= burst.accepted.size,
        60_000,
      );
      const late = await drainQueue(sqs, up.outputQueueUrl, () => false, 4_000);
      sqs.destroy();
      const items = await scanTable(up.dynamoEndpoint, up.tableName);
      // Assess
      const statuses = new Map(items.map((item) => [String(item['id']), item['status']]));
      const recovery = up.fired.map((sample) => sample.latenessMs);
      console.info(
        JSON.stringify({
          outageMs: OUTAGE_MS,
          accepted: burst.accepted.size,
          firedDuringOutage,
          deliveredAfterRestart: deliveries.counts.size,
          allDeliveredWithinMs: Date.now() - restartedAt,
          latenessAfterRestartMs: { p50: percentile(recovery, 50), max: percentile(recovery, 100) },
        }),
      );
      expect(burst.accepted.size).toBe(SCHEDULES);
      expect(firedDuringOutage).toBe(0);
      expect([...deliveries.counts.values()].every((count) => count === 1)).toBe(true);
      expect(late.counts.size).toBe(0);
      expect([...burst.accepted.keys()].filter((id) => !deliveries.counts.has(id))).toEqual([]);
      expect([...burst.accepted.keys()].every((id) => statuses.get(id) === 'FIRED')).toBe(true);
    },
  );
});
