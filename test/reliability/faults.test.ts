import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../src/aws/clients.js';
import { startFaultProxy, type FaultProxy } from '../../src/local/faults/fault-proxy.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import {
  createBurst,
  drainQueue,
  mapLimit,
  percentile,
  postGraphql,
  scanTable,
} from '../helpers/reliability-stack.js';

const FULL = process.env['RELIABILITY_FULL'] === '1';
const SCHEDULES = Number(process.env['FAULT_RUN_SCHEDULES'] ?? (FULL ? 10_000 : 1_000));
/** About 3.5% of all DynamoDB and SQS calls fail; 5% of the rest are delayed. */
const RATES = {
  throttle: 0.015,
  serverError: 0.01,
  drop: 0.005,
  dropResponse: 0.005,
  delay: 0.05,
  delayMs: 50,
};

/** Every n-th accepted schedule is cancelled before it is due. */
const CANCEL_EVERY = 10;
const CANCEL = 'mutation C($id: ID!) { cancelSchedule(id: $id) { id status } }';

/** Cancels every `nth` id, retrying errors; returns the ids whose cancel returned success. */
async function cancelEvery(stack: LocalStack, ids: readonly string[], nth: number) {
  const cancelled = new Set<string>();
  await mapLimit(
    ids.filter((_, index) => index % nth === 0),
    8,
    async (id) => {
      for (let attempt = 0; attempt < 4 && !cancelled.has(id); attempt += 1) {
        const reply = await postGraphql(stack.graphqlUrl, CANCEL, { id }, { apiKey: stack.apiKey });
        const status = (reply.body.data?.['cancelSchedule'] as { status?: string } | null)?.status;
        if (status === 'CANCELLED') cancelled.add(id);
      }
    },
  );
  return cancelled;
}

describe(`${SCHEDULES} schedules under injected DynamoDB and SQS faults`, () => {
  let stack: LocalStack;
  const proxies: FaultProxy[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({
      memory: true,
      port: 0,
      quiet: true,
      feederIntervalSeconds: 1,
      pollers: 8,
      pollWaitSeconds: 1,
      visibilityTimeoutSeconds: 10,
      // Half the schedules go through the table and the feeder, half straight to the delay queue.
      env: { FAST_PATH_HORIZON_SECONDS: '10', STRANDED_GRACE_SECONDS: '5' },
      interpose: async (service, target) => {
        const proxy = await startFaultProxy({
          target,
          rates: RATES,
          seed: service === 'sqs' ? 11 : 17,
        });
        proxies.push(proxy);
        return proxy.endpoint;
      },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await Promise.all(proxies.map((proxy) => proxy.stop()));
  });

  it(
    'delivers every accepted schedule and no cancelled one, counting duplicates',
    { timeout: 1_200_000 },
    async () => {
      // Prepare
      // Creates are slow under faults on a shared machine; minLeadMs keeps every due time ahead.
      const start = Date.now() + 5_000 + SCHEDULES * 25;
      // About 50 due a second: what one local process fires under faults on a shared machine.
      const spreadMs = Math.max(15_000, SCHEDULES * 20);
      const dueTimes = Array.from(
        { length: SCHEDULES },
        (_, i) => start + Math.floor((i / SCHEDULES) * spreadMs),
      );
      const sqs = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
      // Act
      const createStarted = Date.now();
      const burst = await createBurst(stack.graphqlUrl, { apiKey: stack.apiKey }, dueTimes, {
        concurrency: 16,
        attempts: 4,
        minLeadMs: 3_000,
      });
      const createMs = Date.now() - createStarted;
      const cancelled = await cancelEvery(stack, [...burst.accepted.keys()], CANCEL_EVERY);
      const expected = [...burst.accepted.keys()].filter((id) => !cancelled.has(id));
      const deliveries = await drainQueue(
        sqs,
        stack.outputQueueUrl,
        (seen) => expected.every((id) => seen.counts.has(id)),
        spreadMs + 300_000,
      );
      // A last look for late duplicates.
      const extra = await drainQueue(sqs, stack.outputQueueUrl, () => false, 3_000);
      sqs.destroy();
      // Assess
      const missing = expected.filter((id) => !deliveries.counts.has(id));
      const firedAfterCancel = [...cancelled].filter(
        (id) => deliveries.counts.has(id) || extra.counts.has(id),
      );
      let duplicates = 0;
      for (const [id, count] of deliveries.counts)
        duplicates += count - 1 + (extra.counts.get(id) ?? 0);
      const items =
        missing.length === 0 ? [] : await scanTable(stack.dynamoEndpoint, stack.tableName);
      const missingItems = items
        .filter((item) => missing.includes(String(item['id'])))
        .map((item) => ({ id: item['id'], status: item['status'], dueAt: item['dueAt'] }));
      const lateness = stack.fired.map((sample) => sample.latenessMs);
      const stats = proxies.map((proxy) => proxy.stats());
      const calls = stats.reduce((sum, s) => sum + s.requests, 0);
      const failed = proxies.reduce(
        (sum, proxy) => sum + proxy.failureRate() * proxy.stats().requests,
        0,
      );
      console.info(
        JSON.stringify({
          schedules: SCHEDULES,
          accepted: burst.accepted.size,
          createFailures: Object.fromEntries(burst.failures),
          createRetries: burst.retried,
          failureSamples: Object.fromEntries(burst.samples),
          createMs,
          cancelled: cancelled.size,
          firedAfterCancel: firedAfterCancel.length,
          delivered: deliveries.counts.size,
          missing: missing.length,
          missingItems: missingItems.slice(0, 10),
          duplicates,
          calls,
          injectedFailureRate: Number((failed / calls).toFixed(4)),
          injected: stats.map((s) => s.injected),
          latenessMs: {
            p50: percentile(lateness, 50),
            p99: percentile(lateness, 99),
            max: percentile(lateness, 100),
          },
        }),
      );
      expect(failed / calls).toBeGreaterThan(0.01);
      expect(failed / calls).toBeLessThan(0.05);
      expect(burst.accepted.size).toBe(SCHEDULES);
      expect(missing).toEqual([]);
      expect(cancelled.size).toBeGreaterThan(0);
      expect(firedAfterCancel).toEqual([]);
    },
  );
});
