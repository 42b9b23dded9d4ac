/*
 * A delivery channel that fails for longer than SQS retries a message: the AppSync publish answers
 * HTTP 500 (an injected fault in front of the local endpoint) for 20 s while schedules come due.
 * Each message fails until it is dead-lettered; the feeder re-delivers the unfinished claims, and
 * once AppSync answers again every subscriber gets every schedule, while the output queue, which
 * never failed, gets each exactly once.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../src/aws/clients.js';
import { startFaultProxy, type FaultProxy } from '../../src/local/faults/fault-proxy.js';
import { deadLetterQueueName } from '../../src/local/services.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { DeliveryWatcher } from '../helpers/reliability-delivery.js';
import { createBurst, waitFor } from '../helpers/reliability-stack.js';

const SCHEDULES = 100;
const OUTAGE_MS = 20_000;

async function delayDlqDepth(stack: LocalStack): Promise<number> {
  const sqs = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
  try {
    const name = deadLetterQueueName(stack.delayQueueUrl.split('/').pop() ?? '');
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return Number(Attributes?.['ApproximateNumberOfMessages'] ?? 0);
  } finally {
    sqs.destroy();
  }
}

describe('the AppSync channel down for longer than SQS retries a message', () => {
  let stack: LocalStack;
  let appsync: FaultProxy | undefined;
  const watcher = new DeliveryWatcher();
  const subscribed = (ids: readonly string[]) =>
    ids.filter((id) => watcher.subscription.firstAt.has(id)).length;

  beforeAll(async () => {
    stack = await startLocalStack({
      memory: true,
      port: 0,
      quiet: true,
      feederIntervalSeconds: 1,
      pollers: 4,
      pollWaitSeconds: 1,
      // Two receives 3 s apart, then the DLQ: the outage outlasts SQS's own retries.
      visibilityTimeoutSeconds: 3,
      maxReceiveCount: 2,
      interpose: async (service, endpoint) => {
        if (service !== 'appsync') return endpoint;
        appsync = await startFaultProxy({
          target: endpoint,
          rates: { serverError: 1 },
          enabled: false,
        });
        return appsync.endpoint;
      },
    });
    await watcher.attach(stack);
  });
  afterAll(async () => {
    await watcher.detach();
    await stack.stop();
    await appsync?.stop();
  });

  it(
    'delivers every schedule to subscribers after the outage and to the output queue once',
    { timeout: 150_000 },
    async () => {
      // Prepare
      const firstDue = Date.now() + 4_000;
      const burst = await createBurst(
        stack.graphqlUrl,
        { apiKey: stack.apiKey },
        Array.from({ length: SCHEDULES }, (_, i) => firstDue + i * 50),
      );
      expect(burst.accepted.size).toBe(SCHEDULES);
      const ids = [...burst.accepted.keys()];

      // Act: AppSync fails every publish from before the first due time for OUTAGE_MS
      appsync?.enable();
      await new Promise((resolve) => setTimeout(resolve, firstDue - Date.now() + OUTAGE_MS));
      const subscribedDuringOutage = subscribed(ids);
      const dlqDuringOutage = await delayDlqDepth(stack);
      appsync?.disable();
      await waitFor(() => subscribed(ids) === SCHEDULES, 60_000);

      // Assess
      const outputCounts = ids.map((id) => watcher.outputQueue.counts.get(id) ?? 0);
      console.info(
        JSON.stringify({
          schedules: SCHEDULES,
          outageMs: OUTAGE_MS,
          publishFailures: appsync?.stats().injected.serverError,
          subscribedDuringOutage,
          dlqDuringOutage,
          subscribed: subscribed(ids),
          outputQueueCopies: outputCounts.reduce((a, b) => a + b, 0),
        }),
      );
      expect(subscribedDuringOutage).toBe(0);
      expect(dlqDuringOutage).toBeGreaterThan(0);
      expect(subscribed(ids)).toBe(SCHEDULES);
      expect(outputCounts.every((count) => count === 1)).toBe(true);
    },
  );
});
