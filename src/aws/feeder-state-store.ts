import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ScheduleKey } from '../domain/keys.js';
import { isoFromEpochMs } from '../domain/time.js';
import { isConditionalCheckFailure } from './schedule-store.js';

/** Key of a shard's watermark: the start of the oldest bucket that may still hold live work. */
export function watermarkKey(shard: number): ScheduleKey {
  return { pk: `w#${shard}`, sk: 'w' };
}

/** Key of a shard's lease, which lets one feeder run at a time work on the shard. */
export function leaseKey(shard: number): ScheduleKey {
  return { pk: `w#${shard}`, sk: 'lease' };
}

/** The feeder's per-shard bookkeeping in the schedules table (watermark and lease items). */
export class FeederStateStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The shard's watermark (bucket start, epoch ms), or null before its first run. */
  async readWatermark(shard: number): Promise<number | null> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall(watermarkKey(shard)),
        ConsistentRead: true,
      }),
    );
    if (result.Item === undefined) return null;
    const value = unmarshall(result.Item)['bucketStartMs'];
    return typeof value === 'number' ? value : null;
  }

  /** Moves the watermark forward to `bucketStartMs`; never moves it back. */
  async advanceWatermark(shard: number, bucketStartMs: number, nowMs: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(watermarkKey(shard)),
          ConditionExpression: 'attribute_not_exists(bucketStartMs) OR bucketStartMs < :start',
          UpdateExpression: 'SET bucketStartMs = :start, bucketStart = :iso, updatedAt = :now',
          ExpressionAttributeValues: marshall({
            ':start': bucketStartMs,
            ':iso': isoFromEpochMs(bucketStartMs),
            ':now': isoFromEpochMs(nowMs),
          }),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  /**
   * Takes the shard's lease for `holder` until `expiresAtMs` when it is free or expired.
   * Returns false while another run holds it. Holders are unique per run, so finding our own
   * holder means our put landed and only its answer was lost (the SDK's retry met it): taken.
   */
  async acquireLease(
    shard: number,
    holder: string,
    nowMs: number,
    expiresAtMs: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ ...leaseKey(shard), holder, expiresAtMs }),
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now OR holder = :holder',
          ExpressionAttributeValues: marshall({ ':now': nowMs, ':holder': holder }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Removes the shard's lease whoever holds it. Only for a process that knows every holder is
   * gone: the local stack at start-up, whose previous process may have died mid-run.
   */
  async clearLease(shard: number): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: marshall(leaseKey(shard)) }),
    );
  }

  /** Gives the lease back if `holder` still has it, so the next run need not wait for expiry. */
  async releaseLease(shard: number, holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall(leaseKey(shard)),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: marshall({ ':holder': holder }),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
}
