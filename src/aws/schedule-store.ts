import {
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ScheduleKey } from '../domain/keys.js';
import type { ScheduleItem } from '../domain/schedule-item.js';
import { Status, type ScheduleStatus } from '../domain/status.js';
import { isoFromEpochMs } from '../domain/time.js';
import { TTL_ATTRIBUTE } from './table.js';

/** What the feeder reads of a live schedule: no payload, which it never needs. */
export interface LiveScheduleRef {
  readonly pk: string;
  readonly sk: string;
  readonly id: string;
  readonly status: ScheduleStatus;
  readonly dueAt: string;
  readonly queuedAt?: string;
  readonly sendCount?: number;
}

/** One page of live schedules from one bucket partition, in due order. */
export interface LivePage {
  readonly items: readonly LiveScheduleRef[];
  /** Where the next page starts; undefined when the partition range is exhausted. */
  readonly nextKey?: Record<string, AttributeValue>;
  /** Items DynamoDB read for this page, before the status filter. */
  readonly scannedCount: number;
}

/** Fields the dispatcher writes when it claims a schedule. */
export interface ClaimRequest {
  readonly key: ScheduleKey;
  /** SQS message id of the message that claims; its redelivery may claim again. */
  readonly messageId: string;
  readonly firedAtMs: number;
  /** Epoch seconds at which TTL removes the fired item. */
  readonly ttlSeconds: number;
}

/** True for DynamoDB's conditional-check failure, whichever SDK copy threw it. */
export function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The primary key alone: DynamoDB refuses a Key with any other attribute. */
function keyOf(key: ScheduleKey): Record<string, AttributeValue> {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}

/** The only code that reads and writes schedule items for the engine. */
export class ScheduleStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Reads one page of PENDING and QUEUED schedules in partition `pk` due at or before
   * `dueUpToMs`. The status filter drops finished items server-side; the feeder decides per
   * item what to send, because it must also know whether live items remain in the bucket.
   */
  async queryLive(
    pk: string,
    dueUpToMs: number,
    pageSize: number,
    startKey?: Record<string, AttributeValue>,
  ): Promise<LivePage> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk < :upper',
        FilterExpression: '#status IN (:pending, :queued)',
        ProjectionExpression: 'pk, sk, id, #status, dueAt, queuedAt, sendCount',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: marshall({
          ':pk': pk,
          // Sort keys start with the due time, so everything due at or before dueUpToMs sorts below this.
          ':upper': isoFromEpochMs(dueUpToMs + 1),
          ':pending': Status.pending,
          ':queued': Status.queued,
        }),
        Limit: pageSize,
        ConsistentRead: true,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => unmarshall(item) as LiveScheduleRef),
      scannedCount: result.ScannedCount ?? 0,
      ...(result.LastEvaluatedKey === undefined ? {} : { nextKey: result.LastEvaluatedKey }),
    };
  }

  /**
   * Records that a schedule was handed to the delay queue. Returns false when it is no longer
   * live (cancelled or fired meanwhile), which leaves it untouched.
   */
  async markQueued(key: ScheduleKey, queuedAtMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          ConditionExpression: '#status IN (:pending, :queued)',
          UpdateExpression: 'SET #status = :queued, queuedAt = :queuedAt ADD sendCount :one',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({
            ':pending': Status.pending,
            ':queued': Status.queued,
            ':queuedAt': isoFromEpochMs(queuedAtMs),
            ':one': 1,
          }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Claims a schedule for firing with one conditional write: it wins while the schedule is live,
   * or when this same message already won (a redelivery after a failed delivery). Returns the
   * claimed item, or null when the schedule is cancelled, fired by another message or missing.
   */
  async claim(request: ClaimRequest): Promise<ScheduleItem | null> {
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(request.key),
          ConditionExpression:
            '#status IN (:pending, :queued) OR (#status = :fired AND claimedBy = :messageId)',
          // A redelivery keeps the first claim's firedAt, so every copy delivered is identical.
          UpdateExpression:
            'SET #status = :fired, claimedBy = :messageId, firedAt = if_not_exists(firedAt, :firedAt), #ttl = if_not_exists(#ttl, :ttl) REMOVE pendingOwner',
          ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: marshall({
            ':pending': Status.pending,
            ':queued': Status.queued,
            ':fired': Status.fired,
            ':messageId': request.messageId,
            ':firedAt': isoFromEpochMs(request.firedAtMs),
            ':ttl': request.ttlSeconds,
          }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes === undefined
        ? null
        : (unmarshall(result.Attributes) as ScheduleItem);
    } catch (error) {
      if (isConditionalCheckFailure(error)) return null;
      throw error;
    }
  }

  /**
   * Gives back a claim whose delivery failed: the schedule is QUEUED again, so the redelivered
   * message, or a copy redriven from the DLQ with a new message id, can claim and deliver it.
   * Only the message that holds the claim can release it; returns whether it did.
   */
  async release(key: ScheduleKey, messageId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          ConditionExpression: '#status = :fired AND claimedBy = :messageId',
          UpdateExpression:
            'SET #status = :queued, pendingOwner = #owner REMOVE claimedBy, firedAt, #ttl',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#owner': 'owner',
            '#ttl': TTL_ATTRIBUTE,
          },
          ExpressionAttributeValues: marshall({
            ':fired': Status.fired,
            ':queued': Status.queued,
            ':messageId': messageId,
          }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /** Reads a schedule with a strongly consistent read; null when there is none. */
  async get(key: ScheduleKey): Promise<ScheduleItem | null> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: keyOf(key), ConsistentRead: true }),
    );
    return result.Item === undefined ? null : (unmarshall(result.Item) as ScheduleItem);
  }
}
