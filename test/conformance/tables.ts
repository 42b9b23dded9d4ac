/* Fresh schedules tables and raw items for the storage contracts. */
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createDynamoClient } from '../../src/aws/clients.js';
import { scheduleTableDefinition, waitUntilTableActive } from '../../src/aws/table.js';
import type { ScheduleItem } from '../../src/domain/schedule-item.js';
import { Status, type ScheduleStatus } from '../../src/domain/status.js';
import { isoFromEpochMs } from '../../src/domain/time.js';
import type { LocalDynamo } from '../../src/local/services.js';

/** A schedules table created from src/aws/table.ts, with a client for it. */
export interface TestTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  put(item: object): Promise<void>;
  drop(): Promise<void>;
}

/** Creates a uniquely named schedules table in `dynamo` with our own definition, once ACTIVE. */
export async function createTestTable(dynamo: LocalDynamo): Promise<TestTable> {
  const client = createDynamoClient({ dynamoEndpoint: dynamo.endpoint });
  const tableName = `conformance-${randomUUID().slice(0, 8)}`;
  await client.send(new CreateTableCommand(scheduleTableDefinition(tableName)));
  await waitUntilTableActive(client, tableName);
  return {
    client,
    tableName,
    put: async (item) => {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: marshall(item, { removeUndefinedValues: true }),
        }),
      );
    },
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}

/** The bucket partition the store contracts write into: 2027-03-20T09:45, shard 0. */
export const BUCKET_PK = 'j#2027-03-20T09:45#0';
/** Start of that bucket, epoch ms. */
export const BUCKET_START_MS = Date.parse('2027-03-20T09:45:00.000Z');

let sequence = 0;

/**
 * A schedule item as createSchedule stores it, due `offsetMs` after the bucket start. Live
 * items carry `pendingOwner` (the sparse owner index); finished ones do not.
 */
export function scheduleItem(
  offsetMs: number,
  status: ScheduleStatus = Status.pending,
  owner = 'owner-1',
): ScheduleItem {
  sequence += 1;
  const dueAt = isoFromEpochMs(BUCKET_START_MS + offsetMs);
  const id = `test-${String(sequence).padStart(6, '0')}`;
  const live = status === Status.pending || status === Status.queued;
  return {
    pk: BUCKET_PK,
    sk: `${dueAt}#${id}`,
    id,
    owner,
    dueAt,
    payload: JSON.stringify({ n: sequence }),
    status,
    createdAt: isoFromEpochMs(BUCKET_START_MS - 3_600_000),
    sendCount: status === Status.pending ? 0 : 1,
    ...(live ? { pendingOwner: owner } : {}),
  };
}
