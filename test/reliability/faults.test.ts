import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../src/aws/clients.js';
import { startFaultProxy, type FaultProxy } from '../../src/local/faults/fault-proxy.js';
import { deadLetterQueueName } from '../../src/local/services.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { subscribeToFired } from '../helpers/reliability-delivery.js';
import {
  createBurst,
  drainQueue,
  mapLimit,
  percentile,
  postGraphql,
  scanTable,
  waitFor,
} from '../helpers/reliability-stack.js';

const FULL = process.env['RELIABILITY_FULL'] === '1';
const SCHEDULES = Number(process.env['FAULT_RUN_SCHEDULES'] ?? (FULL ? 10_000 : 1_000));
/** Multiplies every failure rate, to reproduce a rare loss faster (e.g. 3 fails about 10%). */
const RATE_SCALE = Number(process.env['FAULT_RATE_SCALE'] ?? 1);
/** About 3.5% of all DynamoDB and SQS calls fail; 5% of the rest are delayed. */
const RATES = {
  throttle: 0.015 * RATE_SCALE,
  serverError: 0.01 * RATE_SCALE,
  drop: 0.005 * RATE_SCALE,
  dropResponse: 0.005 * RATE_SCALE,
  delay: 0.05,
  delayMs: 50,
};

/**
 * Every schedule must reach the output queue within this long after the last due time. The
 * slowest healing is a schedule re-sent by the stranded sweep after its back-off (5 s grace,
 * doubling per re-send) and redelivered after the 10 s visibility timeout: seconds to a minute.
 */
const DELIVERY_WINDOW_MS = 300_000;
/** When some are missing after the window, how much longer to look, to tell late from lost. */
const LATE_LOOK_MS = 180_000;

/** The AppSync publish answers HTTP 500 for this long while schedules fire: a channel outage. */
const APPSYNC_OUTAGE_MS = 20_000;

/** Every n-th accepted schedule is cancelled before it is due. */
const CANCEL_EVERY = 10;
const CANCEL = 'mutation C($id: ID!) { cancelSchedule(id: $id) { id status } }';

/**
 * Cancels every `nth` id, retrying errors. Returns the ids whose cancel returned success, the ids
 * a retry found already cancelled (an earlier attempt's write landed; they are cancelled all the
 * same and must not fire), and the error answers by errorType.
 */
async function cancelEvery(stack: LocalStack, ids: readonly string[], nth: number) {
  const cancelled = new Set<string>();
  const alreadyCancelled = new Set<string>();
  const errors = new Map<string, number>();
  await mapLimit(
    ids.filter((_, index) => index % nth === 0),
    8,
    async (id) => {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const reply = await postGraphql(stack.graphqlUrl, CANCEL, { id }, { apiKey: stack.apiKey });
        const status = (reply.body.data?.['cancelSchedule'] as { status?: string } | null)?.status;
        if (status === 'CANCELLED') return cancelled.add(id);
        const kind = reply.body.errors?.[0]?.errorType ?? `HTTP ${reply.status}`;
        errors.set(kind, (errors.get(kind) ?? 0) + 1);
        if (kind === 'AlreadyCancelledError') return alreadyCancelled.add(id);
      }
      return undefined;
    },
  );
  return { cancelled, alreadyCancelled, errors };
}

/** Drains a queue that nothing else reads and returns the schedule ids in its messages. */
async function idsIn(sqs: SQSClient, queueUrl: string): Promise<Set<string>> {
  const seen = await drainQueue(sqs, queueUrl, () => false, 2_000);
  return new Set(seen.counts.keys());
}

/**
 * Why schedules were not delivered: their table rows (without payload), the feeder's watermark
 * and lease items, and whether their messages ended in a dead-letter queue.
 */
async function describeMissing(stack: LocalStack, missing: readonly string[]) {
  const items = await scanTable(stack.dynamoEndpoint, stack.tableName);
  const rows = items
    .filter((item) => missing.includes(String(item['id'])))
    .map(({ payload: _payload, owner: _owner, pendingOwner: _pending, ...row }) => row);
  const sqs = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
  const dlqUrl = async (queueUrl: string) =>
    (
      await sqs.send(
        new GetQueueUrlCommand({
          QueueName: deadLetterQueueName(queueUrl.split('/').pop() ?? ''),
        }),
      )
    ).QueueUrl ?? '';
  const delayDlq = await idsIn(sqs, await dlqUrl(stack.delayQueueUrl));
  const outputDlq = await idsIn(sqs, await dlqUrl(stack.outputQueueUrl));
  sqs.destroy();
  return {
    missingItems: rows.slice(0, 10),
    missingNotInTable: missing.filter((id) => !rows.some((row) => row['id'] === id)),
    feederState: items.filter((item) => String(item['pk']).startsWith('w#')),
    delayDlqSize: delayDlq.size,
    missingInDelayDlq: missing.filter((id) => delayDlq.has(id)),
    outputDlqSize: outputDlq.size,
    missingInOutputDlq: missing.filter((id) => outputDlq.has(id)),
  };
}

describe(`${SCHEDULES} schedules under injected DynamoDB, SQS and AppSync faults`, () => {
  let stack: LocalStack;
  const proxies: FaultProxy[] = [];
  let appsync: FaultProxy | undefined;
  const subscribed = new Map<string, number>();
  let subscription: { dispose(): void | Promise<void> } | undefined;

  beforeAll(async () => {
    stack = await startLocalStack({
      memory: true,
      port: 0,
      // FAULT_RUN_LOG=1 prints the engine's warnings and errors while hunting a loss.
      quiet: process.env['FAULT_RUN_LOG'] !== '1',
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
          seed: { sqs: 11, dynamodb: 17, appsync: 23 }[service],
        });
        proxies.push(proxy);
        if (service === 'appsync') appsync = proxy;
        return proxy.endpoint;
      },
    });
    subscription = await subscribeToFired(stack, (id) =>
      subscribed.set(id, (subscribed.get(id) ?? 0) + 1),
    );
  });
  afterAll(async () => {
    await subscription?.dispose();
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
      const cancels = await cancelEvery(stack, [...burst.accepted.keys()], CANCEL_EVERY);
      const cancelled = new Set([...cancels.cancelled, ...cancels.alreadyCancelled]);
      const expected = [...burst.accepted.keys()].filter((id) => !cancelled.has(id));
      // The window ends a fixed time after the last due time, however long the creates took.
      const lastDueMs = Math.max(...burst.accepted.values());
      // A channel outage in the middle of the firing: every publish fails for APPSYNC_OUTAGE_MS.
      const firstDueMs = Math.min(...burst.accepted.values());
      const outage = setTimeout(
        () => {
          appsync?.setRates({ serverError: 1 });
          setTimeout(() => appsync?.setRates(RATES), APPSYNC_OUTAGE_MS).unref();
        },
        Math.max(0, (firstDueMs + lastDueMs) / 2 - Date.now()),
      );
      const deliveries = await drainQueue(
        sqs,
        stack.outputQueueUrl,
        (seen) => expected.every((id) => seen.counts.has(id)),
        lastDueMs - Date.now() + DELIVERY_WINDOW_MS,
      );
      const missing = expected.filter((id) => !deliveries.counts.has(id));
      // A last look for late duplicates and, if some are missing, for late rather than lost ones.
      const extra = await drainQueue(
        sqs,
        stack.outputQueueUrl,
        (seen) => missing.length > 0 && missing.every((id) => seen.counts.has(id)),
        missing.length === 0 ? 3_000 : LATE_LOOK_MS,
      );
      sqs.destroy();
      clearTimeout(outage);
      appsync?.setRates(RATES);
      // The subscription heals later than the queue: after the outage, by redelivery.
      await waitFor(() => expected.every((id) => subscribed.has(id)), LATE_LOOK_MS, 500);
      // Assess
      const lost = missing.filter((id) => !extra.counts.has(id));
      const missingOnSubscription = expected.filter((id) => !subscribed.has(id));
      const subscribedAfterCancel = [...cancelled].filter((id) => subscribed.has(id));
      const firedAfterCancel = [...cancelled].filter(
        (id) => deliveries.counts.has(id) || extra.counts.has(id),
      );
      let duplicates = 0;
      for (const [id, count] of deliveries.counts)
        duplicates += count - 1 + (extra.counts.get(id) ?? 0);
      const missingReport = missing.length === 0 ? {} : await describeMissing(stack, missing);
      const lateness = stack.fired.map((sample) => sample.latenessMs);
      // The injected rates are judged on DynamoDB and SQS; the AppSync outage is on top of them.
      const storage = proxies.filter((proxy) => proxy !== appsync);
      const stats = storage.map((proxy) => proxy.stats());
      const calls = stats.reduce((sum, s) => sum + s.requests, 0);
      const failed = storage.reduce(
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
          cancelled: cancels.cancelled.size,
          foundAlreadyCancelled: cancels.alreadyCancelled.size,
          cancelErrors: Object.fromEntries(cancels.errors),
          firedAfterCancel: firedAfterCancel.length,
          delivered: deliveries.counts.size,
          subscribed: subscribed.size,
          missingOnSubscription: missingOnSubscription.length,
          subscriptionDuplicates: [...subscribed.values()].filter((n) => n > 1).length,
          appsyncOutageMs: APPSYNC_OUTAGE_MS,
          missing: missing.length,
          lateAfterWindow: missing.length - lost.length,
          lost: lost.length,
          ...missingReport,
          duplicates,
          calls,
          injectedFailureRate: Number((failed / calls).toFixed(4)),
          injected: stats.map((s) => s.injected),
          appsyncInjected: appsync?.stats().injected,
          latenessMs: {
            p50: percentile(lateness, 50),
            p99: percentile(lateness, 99),
            max: percentile(lateness, 100),
          },
        }),
      );
      expect(failed / calls).toBeGreaterThan(0.01 * RATE_SCALE);
      expect(failed / calls).toBeLessThan(0.05 * RATE_SCALE);
      expect(burst.accepted.size).toBe(SCHEDULES);
      expect(missing).toEqual([]);
      expect(cancelled.size).toBeGreaterThan(0);
      expect(firedAfterCancel).toEqual([]);
      expect(missingOnSubscription).toEqual([]);
      expect(subscribedAfterCancel).toEqual([]);
    },
  );
});
