import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, createDynamoClient } from '../../src/aws/clients.js';
import { seededRandom, startFaultProxy } from '../../src/local/faults/fault-proxy.js';
import { startTestServices, type TestServices } from '../helpers/local-services.js';

const item = (id: string) => ({
  TableName: '',
  Item: { pk: { S: `j#2030-01-01T00:00#0` }, sk: { S: `2030-01-01T00:00:00.000Z#${id}` } },
});

describe('fault proxy in front of dynalite and fauxqs (real SDK clients over HTTP)', () => {
  let services: TestServices;

  beforeAll(async () => {
    services = await startTestServices();
  });
  afterAll(async () => {
    await services.stop();
  });

  it('answers DynamoDB throttling in the shape the SDK parses into its exception classes', async () => {
    // Prepare
    const proxy = await startFaultProxy({
      target: services.dynamo.endpoint,
      rates: { throttle: 1 },
    });
    const client = new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    const names = new Set<string>();
    // Act
    for (let i = 0; i < 12; i += 1) {
      const error = await client
        .send(new PutItemCommand({ ...item(`t${i}`), TableName: services.tableName }), {})
        .catch((caught: Error) => caught);
      names.add((error as Error).name);
    }
    client.destroy();
    await proxy.stop();
    // Assess: both DynamoDB throttling errors appear
    expect(names).toEqual(
      new Set(['ProvisionedThroughputExceededException', 'ThrottlingException']),
    );
    expect(proxy.stats().requests).toBe(12);
    expect(proxy.stats().forwarded).toBe(0);
  });

  it('lets the SDK retries ride over a 12% failure rate and counts every injected kind', async () => {
    // Prepare
    const proxy = await startFaultProxy({
      target: services.dynamo.endpoint,
      rates: { throttle: 0.03, serverError: 0.03, drop: 0.03, dropResponse: 0.03, delayMs: 5 },
      seed: 7,
    });
    const client = createDynamoClient({ dynamoEndpoint: proxy.endpoint });
    // Act
    for (let i = 0; i < 120; i += 1) {
      await client.send(new PutItemCommand({ ...item(`r${i}`), TableName: services.tableName }));
    }
    const read = await client.send(
      new GetItemCommand({ TableName: services.tableName, Key: item('r119').Item }),
    );
    client.destroy();
    await proxy.stop();
    // Assess
    const stats = proxy.stats();
    expect(read.Item?.['sk']?.S).toContain('r119');
    expect(stats.injected.throttle).toBeGreaterThan(0);
    expect(stats.injected.serverError).toBeGreaterThan(0);
    expect(stats.injected.drop + stats.injected.dropResponse).toBeGreaterThan(0);
    expect(stats.injected.delay).toBeGreaterThan(0);
    expect(proxy.failureRate()).toBeGreaterThan(0.04);
  });

  it('answers SQS throttling and 5xx in the JSON protocol shape, and passes all when disabled', async () => {
    // Prepare
    const proxy = await startFaultProxy({ target: services.sqs.endpoint, rates: { throttle: 1 } });
    const client = new SQSClient({
      endpoint: proxy.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    const send = () =>
      client.send(new SendMessageCommand({ QueueUrl: services.outputQueueUrl, MessageBody: 'x' }));
    // Act
    const throttled = await send().catch((error: Error) => error);
    proxy.setRates({ serverError: 1 });
    const failed = await send().catch((error: Error) => error);
    proxy.disable();
    await send();
    const received = await client.send(
      new ReceiveMessageCommand({ QueueUrl: services.outputQueueUrl, WaitTimeSeconds: 1 }),
    );
    client.destroy();
    await proxy.stop();
    // Assess
    expect((throttled as Error).name).toBe('RequestThrottled');
    expect((failed as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(
      500,
    );
    expect(received.Messages?.[0]?.Body).toBe('x');
    expect(proxy.stats().failuresByService).toEqual({ sqs: 2 });
  });

  it('replays the same fault pattern from the same seed and refuses impossible rates', async () => {
    // Prepare
    const a = seededRandom(42);
    const b = seededRandom(42);
    // Act
    const first = Array.from({ length: 5 }, a);
    const second = Array.from({ length: 5 }, b);
    // Assess
    expect(first).toEqual(second);
    await expect(
      startFaultProxy({ target: services.sqs.endpoint, rates: { throttle: 0.7, drop: 0.5 } }),
    ).rejects.toThrow(/at most 1; received 1.2/);
    await expect(
      startFaultProxy({ target: services.sqs.endpoint, rates: { serverError: -1 } }),
    ).rejects.toThrow(/serverError .* received -1/);
  });
});
