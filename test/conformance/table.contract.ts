/*
 * The table definition (src/aws/table.ts) as DynamoDB accepts and serves it: keys, the sparse
 * owner index and TTL, the way the CDK stack declares them for the cloud.
 */
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TTL_ATTRIBUTE } from '../../src/aws/table.js';
import { OWNER_INDEX } from '../../src/domain/schedule-item.js';
import { Status } from '../../src/domain/status.js';
import type { BackendContext } from './backends.js';
import { createTestTable, scheduleItem, type TestTable } from './tables.js';

/** Contract: CreateTable, DescribeTable, TTL and the owner index. */
export function tableContract(context: () => BackendContext): void {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable(context().dynamo);
  });
  afterAll(async () => {
    await table.drop();
  });

  it('creates the table ACTIVE at once, on demand, with pk/sk and the byOwner index', async () => {
    // Act
    const { Table } = await table.client.send(
      new DescribeTableCommand({ TableName: table.tableName }),
    );

    // Assess
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const index = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === OWNER_INDEX);
    expect(index?.KeySchema).toEqual([
      { AttributeName: 'pendingOwner', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(index?.Projection?.ProjectionType).toBe('ALL');
    expect(index?.IndexStatus).toBe('ACTIVE');
  });

  it('enables TTL on the ttl attribute, as the CDK stack does (dynalite: a known gap)', async () => {
    // Act
    const enable = table.client.send(
      new UpdateTimeToLiveCommand({
        TableName: table.tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );

    // Assess
    if (context().backend.gaps.has('no-time-to-live')) {
      await expect(enable).rejects.toMatchObject({ name: 'UnknownOperationException' });
      return;
    }
    await enable;
    const { TimeToLiveDescription } = await table.client.send(
      new DescribeTimeToLiveCommand({ TableName: table.tableName }),
    );
    expect(TimeToLiveDescription).toMatchObject({
      AttributeName: TTL_ATTRIBUTE,
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('keeps the owner index sparse and in sort-key order', async () => {
    // Prepare: live items (with pendingOwner) out of order, and a finished one without it.
    const late = scheduleItem(3_000, Status.pending, 'sparse-owner');
    const early = scheduleItem(1_000, Status.queued, 'sparse-owner');
    const finished = scheduleItem(2_000, Status.cancelled, 'sparse-owner');
    for (const item of [late, early, finished]) await table.put(item);

    // Act
    const result = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: OWNER_INDEX,
        KeyConditionExpression: 'pendingOwner = :owner',
        ExpressionAttributeValues: { ':owner': { S: 'sparse-owner' } },
      }),
    );

    // Assess
    expect((result.Items ?? []).map((item) => unmarshall(item)['id'])).toEqual([early.id, late.id]);
    expect(unmarshall(result.Items?.[0] ?? {})).toMatchObject({ payload: early.payload });
  });

  it('refuses a strongly consistent read of the global index', async () => {
    // Act
    const query = table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: OWNER_INDEX,
        KeyConditionExpression: 'pendingOwner = :owner',
        ExpressionAttributeValues: { ':owner': { S: 'anyone' } },
        ConsistentRead: true,
      }),
    );

    // Assess
    await expect(query).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses an empty string as an index key, in a put and in an update (dynalite: a known gap)', async () => {
    // Prepare
    const item = scheduleItem(5_000);
    await table.put(item);

    // Act
    const put = table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: { pk: { S: item.pk }, sk: { S: `${item.sk}-empty` }, pendingOwner: { S: '' } },
      }),
    );
    const update = table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: item.pk }, sk: { S: item.sk } },
        UpdateExpression: 'SET pendingOwner = :owner',
        ExpressionAttributeValues: { ':owner': { S: '' } },
      }),
    );

    // Assess
    if (context().backend.gaps.has('empty-index-key-accepted')) {
      await expect(Promise.all([put, update])).resolves.toBeDefined();
      return;
    }
    await expect(put).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(update).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses IN with more than 100 operands (dynalite: a known gap)', async () => {
    // Prepare
    const values = Array.from({ length: 101 }, (_, i) => `:v${i}`);

    // Act
    const query = table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: `#status IN (${values.join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: Object.fromEntries([
          [':pk', { S: 'in-limit' }],
          ...values.map((name, i) => [name, { S: String(i) }]),
        ]),
      }),
    );

    // Assess
    if (context().backend.gaps.has('in-operand-limit-unchecked')) {
      await expect(query).resolves.toMatchObject({ Count: 0 });
      return;
    }
    await expect(query).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/IN operator is provided with too many operands/),
    });
  });

  it('refuses an index key of the wrong type', async () => {
    // Prepare
    const item = scheduleItem(4_000);

    // Act
    const put = table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          pk: { S: item.pk },
          sk: { S: item.sk },
          pendingOwner: { N: '7' },
        },
      }),
    );

    // Assess
    await expect(put).rejects.toMatchObject({ name: 'ValidationException' });
  });
}
