import { PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient, createSqsClient } from '../../src/aws/clients.js';
import { startTestServices, type TestServices } from '../helpers/local-services.js';

describe('local services (dynalite and fauxqs over HTTP)', () => {
  let services: TestServices;
  beforeAll(async () => {
    services = await startTestServices();
  });
  afterAll(async () => {
    await services.stop();
  });

  it('store and read an item in the schedules table', async () => {
    const client = createDynamoClient({ dynamoEndpoint: services.dynamo.endpoint });
    const Item = { pk: { S: 'j#2027-01-01T00:00#0' }, sk: { S: 'x' }, payload: { S: '{}' } };
    await client.send(new PutItemCommand({ TableName: services.tableName, Item }));
    const read = await client.send(
      new GetItemCommand({ TableName: services.tableName, Key: { pk: Item.pk, sk: Item.sk } }),
    );
    expect(read.Item).toEqual(Item);
  });

  it('deliver a delayed message no earlier than its delay', async () => {
    const client = createSqsClient({ sqsEndpoint: services.sqs.endpoint });
    const sentAt = Date.now();
    await client.send(
      new SendMessageCommand({
        QueueUrl: services.delayQueueUrl,
        MessageBody: 'hello',
        DelaySeconds: 1,
      }),
    );
    const received = await client.send(
      new ReceiveMessageCommand({ QueueUrl: services.delayQueueUrl, WaitTimeSeconds: 5 }),
    );
    expect(received.Messages?.[0]?.Body).toBe('hello');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1000);
  });
});
