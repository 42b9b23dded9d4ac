import {
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { HISTORY_INDEX, OWNER_INDEX } from '../domain/schedule-item.js';

/** Name of the TTL attribute (epoch seconds) on finished schedules and idempotency records. */
export const TTL_ATTRIBUTE = 'ttl';

/**
 * The schedules table: partition `pk` (bucket and shard, or an idempotency or key record), sort
 * `sk`, the sparse owner index of live schedules and the keys-only history index of every schedule
 * (records carry no `owner`, so they stay out of it). The CDK stack declares the same shape.
 */
export function scheduleTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'pendingOwner', AttributeType: 'S' },
      { AttributeName: 'owner', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: OWNER_INDEX,
        KeySchema: [
          { AttributeName: 'pendingOwner', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        // Keys only: a status change rewrites no index entry, so it costs one write per schedule.
        IndexName: HISTORY_INDEX,
        KeySchema: [
          { AttributeName: 'owner', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  };
}

/**
 * Waits until the table is ACTIVE: CreateTable answers while it is still CREATING, on AWS and,
 * for a moment under load, on dynalite too (a call in between gets ResourceNotFoundException).
 */
export async function waitUntilTableActive(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client
      .send(new DescribeTableCommand({ TableName: tableName }))
      .catch(() => ({ Table: undefined }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(
        `Table ${tableName} is not ACTIVE after ${timeoutMs} ms; last status ${Table?.TableStatus ?? 'unknown'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
