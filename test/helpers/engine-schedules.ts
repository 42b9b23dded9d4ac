/*
 * Writes and cancels schedules the way the resolvers do (same domain functions, same item shape),
 * so engine tests start from realistic table and queue contents without the GraphQL layer.
 */
import {
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { makeScheduleId } from '../../src/domain/ids.js';
import { scheduleKey } from '../../src/domain/keys.js';
import type { ScheduleItem } from '../../src/domain/schedule-item.js';
import type { SchedulerSettings } from '../../src/domain/settings.js';
import { Status } from '../../src/domain/status.js';
import { isoFromEpochMs } from '../../src/domain/time.js';
import { delaySecondsUntil, isFastPath } from '../../src/domain/validation.js';
import { chunk, mapWithConcurrency } from '../../src/engine/concurrency.js';
import { randomUlid } from './ulid.js';

/** Where schedules are written. */
export interface ScheduleTarget {
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly tableName: string;
  readonly delayQueueUrl: string;
  readonly settings: SchedulerSettings;
}

/** One schedule to create. */
export interface ScheduleSpec {
  readonly dueAtMs: number;
  /** @default `{"n": <index>}` */
  readonly payload?: string;
  /** @default "owner-1" */
  readonly owner?: string;
  /** When the resolver accepted it. @default Date.now() */
  readonly createdAtMs?: number;
  /** Simulates a fast-path SendMessage that failed after the put: QUEUED, no message. */
  readonly loseMessage?: boolean;
}

/** The item createSchedule stores for `spec`: QUEUED on the fast path, else PENDING. */
export function scheduleItemFor(spec: ScheduleSpec, settings: SchedulerSettings): ScheduleItem {
  const createdAtMs = spec.createdAtMs ?? Date.now();
  const id = makeScheduleId(spec.dueAtMs, randomUlid(), settings.shardCount);
  const key = scheduleKey(id, settings.bucketWidthSeconds);
  if (key === null) throw new Error(`No key for id ${id}`);
  const owner = spec.owner ?? 'owner-1';
  const base = {
    ...key,
    id,
    owner,
    dueAt: isoFromEpochMs(spec.dueAtMs),
    payload: spec.payload ?? JSON.stringify({ id }),
    createdAt: isoFromEpochMs(createdAtMs),
    pendingOwner: owner,
  };
  return isFastPath(spec.dueAtMs, createdAtMs, settings)
    ? { ...base, status: Status.queued, queuedAt: base.createdAt, sendCount: 1 }
    : { ...base, status: Status.pending, sendCount: 0 };
}

/** createSchedule for one schedule: the put, then on the fast path the delayed SendMessage. */
export async function createSchedule(
  target: ScheduleTarget,
  spec: ScheduleSpec,
): Promise<ScheduleItem> {
  const item = scheduleItemFor(spec, target.settings);
  await target.dynamo.send(
    new PutItemCommand({ TableName: target.tableName, Item: marshall(item) }),
  );
  if (item.status === Status.queued && spec.loseMessage !== true) {
    await target.sqs.send(
      new SendMessageCommand({
        QueueUrl: target.delayQueueUrl,
        MessageBody: JSON.stringify({ id: item.id }),
        DelaySeconds: delaySecondsUntil(spec.dueAtMs, spec.createdAtMs ?? Date.now()),
      }),
    );
  }
  return item;
}

/** Many createSchedule calls at once, with batched writes and sends for speed. */
export async function createSchedules(
  target: ScheduleTarget,
  specs: readonly ScheduleSpec[],
): Promise<ScheduleItem[]> {
  const items = specs.map((spec) => scheduleItemFor(spec, target.settings));
  await mapWithConcurrency(chunk(items, 25), 8, async (batch) => {
    let requests = batch.map((item) => ({ PutRequest: { Item: marshall(item) } }));
    while (requests.length > 0) {
      const result = await target.dynamo.send(
        new BatchWriteItemCommand({ RequestItems: { [target.tableName]: requests } }),
      );
      requests = (result.UnprocessedItems?.[target.tableName] ?? []) as typeof requests;
    }
  });
  const nowMs = Date.now();
  const queued = items.filter((item) => item.status === Status.queued);
  await mapWithConcurrency(chunk(queued, 10), 8, async (batch) => {
    await target.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: target.delayQueueUrl,
        Entries: batch.map((item, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify({ id: item.id }),
          DelaySeconds: delaySecondsUntil(Date.parse(item.dueAt), nowMs),
        })),
      }),
    );
  });
  return items;
}

/** cancelSchedule's single conditional write; false when the schedule was no longer live. */
export async function cancelSchedule(
  target: ScheduleTarget,
  item: Pick<ScheduleItem, 'pk' | 'sk' | 'owner'>,
): Promise<boolean> {
  const nowMs = Date.now();
  try {
    await target.dynamo.send(
      new UpdateItemCommand({
        TableName: target.tableName,
        Key: marshall({ pk: item.pk, sk: item.sk }),
        ConditionExpression: '#owner = :owner AND #status IN (:pending, :queued)',
        UpdateExpression:
          'SET #status = :cancelled, cancelledAt = :now, #ttl = :ttl REMOVE pendingOwner',
        ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status', '#ttl': 'ttl' },
        ExpressionAttributeValues: marshall({
          ':owner': item.owner,
          ':pending': Status.pending,
          ':queued': Status.queued,
          ':cancelled': Status.cancelled,
          ':now': isoFromEpochMs(nowMs),
          ':ttl': Math.floor(nowMs / 1000) + 7 * 86_400,
        }),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Reads a schedule item back; null when there is none. */
export async function readSchedule(
  target: Pick<ScheduleTarget, 'dynamo' | 'tableName'>,
  item: Pick<ScheduleItem, 'pk' | 'sk'>,
): Promise<ScheduleItem | null> {
  const result = await target.dynamo.send(
    new GetItemCommand({
      TableName: target.tableName,
      Key: marshall({ pk: item.pk, sk: item.sk }),
      ConsistentRead: true,
    }),
  );
  return result.Item === undefined ? null : (unmarshall(result.Item) as ScheduleItem);
}
