import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { OWNER_INDEX } from '../domain/schedule-item.js';

/** Name of the TTL attribute (epoch seconds) on finished schedules and idempotency records. */
export const TTL_ATTRIBUTE = 'ttl';

/**
 * The schedules table: partition `pk` (bucket and shard, or an idempotency record), sort `sk`,
 * and the sparse owner index. The CDK stack declares the same shape for the cloud.
 */
export function scheduleTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'pendingOwner', AttributeType: 'S' },
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
    ],
  };
}
