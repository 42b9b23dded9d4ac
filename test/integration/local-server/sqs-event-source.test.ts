import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../../src/aws/clients.js';
import { startSqsEventSource } from '../../../src/local/lambda/sqs-event-source.js';
import { startTestServices, type TestServices } from '../../helpers/local-services.js';

async function sendBodies(client: SQSClient, queueUrl: string, bodies: readonly string[]) {
  for (let start = 0; start < bodies.length; start += 10) {
    const Entries = bodies
      .slice(start, start + 10)
      .map((body, index) => ({ Id: String(index), MessageBody: body }));
    await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function visibleCount(client: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

describe('SQS event source mapping (local Lambda emulation over fauxqs)', () => {
  let services: TestServices;
  let client: SQSClient;
  beforeAll(async () => {
    services = await startTestServices({ visibilityTimeoutSeconds: 1, maxReceiveCount: 100 });
    client = createSqsClient({ sqsEndpoint: services.sqs.endpoint });
  });
  afterAll(async () => {
    client.destroy();
    await services.stop();
  });

  it('delivers Lambda-shaped batches of at most 10 over several pollers and deletes them', async () => {
    // Prepare
    const bodies = Array.from({ length: 35 }, (_, i) => `m${i}`);
    const seen: string[] = [];
    const batchSizes: number[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const handler = async (event: SQSEvent) => {
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      batchSizes.push(event.Records.length);
      expect(event.Records[0]).toMatchObject({ eventSource: 'aws:sqs', awsRegion: 'us-east-1' });
      expect(Number(event.Records[0]?.attributes.ApproximateReceiveCount)).toBeGreaterThanOrEqual(
        1,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen.push(...event.Records.map((record) => record.body));
      concurrent -= 1;
      return { batchItemFailures: [] };
    };
    await sendBodies(client, services.delayQueueUrl, bodies);

    // Act
    const source = startSqsEventSource({
      client,
      queueUrl: services.delayQueueUrl,
      handler,
      functionName: 'test',
      pollers: 3,
      waitTimeSeconds: 1,
    });
    await waitFor(() => seen.length >= bodies.length, 15_000);
    await source.stop();

    // Assess
    expect([...seen].sort()).toEqual([...bodies].sort());
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(10);
    expect(maxConcurrent).toBeGreaterThan(1);
    expect(await visibleCount(client, services.delayQueueUrl)).toBe(0);
  });

  it('keeps only the reported failures, which come back after the visibility timeout', async () => {
    // Prepare
    const attempts = new Map<string, number>();
    const handler = async (event: SQSEvent) => {
      const failures = [];
      for (const record of event.Records) {
        const count = (attempts.get(record.body) ?? 0) + 1;
        attempts.set(record.body, count);
        if (record.body === 'fail-once' && count === 1)
          failures.push({ itemIdentifier: record.messageId });
      }
      return { batchItemFailures: failures };
    };
    await sendBodies(client, services.delayQueueUrl, ['ok-1', 'fail-once', 'ok-2']);

    // Act
    const source = startSqsEventSource({
      client,
      queueUrl: services.delayQueueUrl,
      handler,
      functionName: 'test',
      pollers: 1,
      waitTimeSeconds: 1,
    });
    await waitFor(() => attempts.get('fail-once') === 2, 10_000);
    await source.stop();

    // Assess
    expect(attempts.get('ok-1')).toBe(1);
    expect(attempts.get('ok-2')).toBe(1);
    expect(await visibleCount(client, services.delayQueueUrl)).toBe(0);
  });

  it('leaves the whole batch when the handler throws', async () => {
    // Prepare
    let calls = 0;
    const errors: string[] = [];
    const handler = async () => {
      calls += 1;
      throw new Error('handler crashed');
    };
    await sendBodies(client, services.delayQueueUrl, ['a', 'b']);

    // Act
    const source = startSqsEventSource({
      client,
      queueUrl: services.delayQueueUrl,
      handler,
      functionName: 'test',
      pollers: 1,
      waitTimeSeconds: 1,
      onError: (message) => errors.push(message),
    });
    await waitFor(() => calls >= 1, 10_000);
    await source.stop();

    // Assess
    expect(errors[0]).toMatch(/test failed a batch/);
    expect(await visibleCount(client, services.delayQueueUrl)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const drained = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: services.delayQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(drained.Messages?.map((m) => m.Body).sort()).toEqual(['a', 'b']);
  });

  it('stops promptly while long-polling an empty queue, after in-flight batches finish', async () => {
    // Prepare
    let finished = false;
    const handler = async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished = true;
      return { batchItemFailures: [] };
    };
    const source = startSqsEventSource({
      client,
      queueUrl: services.outputQueueUrl,
      handler,
      functionName: 'test',
      pollers: 2,
      waitTimeSeconds: 20,
    });
    await sendBodies(client, services.outputQueueUrl, ['x']);
    await new Promise((resolve) => setTimeout(resolve, 150));

    // Act
    const started = Date.now();
    await source.stop();

    // Assess
    expect(finished).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
