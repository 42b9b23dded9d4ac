/*
 * Writes schedule items and key records straight into the table (the real DynamoDB API of
 * dynalite), for tests that need schedules in states the API cannot reach quickly: fired,
 * rescheduled, or written before labels existed.
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  isoFromEpochMs,
  makeScheduleId,
  scheduleKey,
  scheduleKeyRecordKey,
  type ScheduleItem,
} from '../../../src/domain/index.js';
import { randomUlid } from '../../helpers/ulid.js';
import { TEST_ENV } from './harness.js';

const BUCKET_WIDTH_SECONDS = 300;

/** What a stored schedule differs in; the rest gets plain defaults. */
export type StoredSpec = Partial<Omit<ScheduleItem, 'pk' | 'sk' | 'id'>> & {
  readonly owner: string;
  readonly dueAtMs: number;
};

/** Builds an item with a real id and key for the test settings (shards, bucket width). */
export function storedItem(spec: StoredSpec): ScheduleItem {
  const { dueAtMs, ...rest } = spec;
  const id = makeScheduleId(dueAtMs, randomUlid(), Number(TEST_ENV.SHARD_COUNT));
  const key = scheduleKey(id, BUCKET_WIDTH_SECONDS);
  if (key === null) throw new Error(`no key for ${id}`);
  const status = rest.status ?? 'PENDING';
  const live = status === 'PENDING' || status === 'QUEUED';
  return {
    pk: key.pk,
    sk: key.sk,
    id,
    dueAt: isoFromEpochMs(dueAtMs),
    payload: JSON.stringify({ id }),
    createdAt: isoFromEpochMs(dueAtMs - 60_000),
    sendCount: 0,
    status,
    ...(live ? { pendingOwner: spec.owner } : {}),
    ...rest,
  };
}

/** Puts items into the table. */
export async function putItems(
  dynamo: DynamoDBClient,
  tableName: string,
  items: readonly (ScheduleItem | Record<string, unknown>)[],
): Promise<void> {
  for (const item of items) {
    await dynamo.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(item, { removeUndefinedValues: true }),
      }),
    );
  }
}

/** Puts the key record `owner`'s `key` -> `scheduleId`. */
export async function putKeyRecord(
  dynamo: DynamoDBClient,
  tableName: string,
  owner: string,
  key: string,
  scheduleId: string,
): Promise<void> {
  const record = scheduleKeyRecordKey(owner, key);
  await putItems(dynamo, tableName, [
    { pk: record.pk, sk: record.sk, scheduleId, ttl: Math.floor(Date.now() / 1000) + 86_400 },
  ]);
}
