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

/** What the feeder reads of an unfinished schedule: no payload, which it never needs. */
export interface LiveScheduleRef {
  readonly pk: string;
  readonly sk: string;
  readonly id: string;
  readonly status: ScheduleStatus;
  readonly dueAt: string;
  readonly queuedAt?: string;
  readonly sendCount?: number;
  /** FIRING only: when the claim was taken (ISO). */
  readonly claimedAt?: string;
  /** FIRING only: failed delivery attempts since the claim. */
  readonly deliveryFailures?: number;
}

/** One page of unfinished schedules from one bucket partition, in due order. */
export interface LivePage {
  readonly items: readonly LiveScheduleRef[];
  /** Where the next page starts; undefined when the partition range is exhausted. */
  readonly nextKey?: Record<string, AttributeValue>;
  /** Items DynamoDB read for this page, before the status filter. */
  readonly scannedCount: number;
}

/** What the dispatcher writes when it claims a schedule. */
export interface ClaimRequest {
  readonly key: ScheduleKey;
  /** SQS message id of the message that claims; its redelivery may claim again. */
  readonly messageId: string;
  /** The claim time (epoch ms), also the firedAt of a first claim. */
  readonly nowMs: number;
  /** A FIRING claim taken before this (epoch ms) is stale: its holder is gone, take it over. */
  readonly staleBeforeMs: number;
}

/** True for DynamoDB's conditional-check failure, whichever SDK copy threw it. */
export function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * The claim's condition: live and confirmed (no `supersedes`; a FIRING item never has it), or
 * FIRING and held by this message, by nobody, or stale. Written as an OR of ANDs without
 * parentheses (AND binds tighter than OR, as DynamoDB documents under "Precedence in
 * conditions"): dynalite's parser backtracks on every nested parenthesis, and the nested form
 * cost it about 8 ms per claim against 0.6 ms for this one, most of its CPU in a burst.
 */
export const CLAIM_CONDITION = [
  '#status IN (:pending, :queued) AND attribute_not_exists(supersedes)',
  '#status = :firing AND claimedBy = :messageId',
  '#status = :firing AND attribute_not_exists(claimedBy)',
  '#status = :firing AND claimedAt < :staleBefore',
].join(' OR ');

/*
 * The other conditions the firing path sends, in the same flat form: `a = :x OR a = :y`
 * instead of `a IN (:x, :y)` parses in about half the time in dynalite (20 against 40 to 70
 * microseconds each, quiet machine); DynamoDB gives both the same meaning.
 */
/** recordDelivery, complete: still FIRING, or already FIRED by a concurrent holder. */
export const RECORD_COMPLETE_CONDITION = '#status = :firing OR #status = :fired';
/** markQueued (the feeder's hand-over): still live. */
export const MARK_QUEUED_CONDITION = '#status = :pending OR #status = :queued';
/** voidReplacement: still unconfirmed towards `oldId`, and live. */
export const VOID_REPLACEMENT_CONDITION =
  'supersedes = :oldId AND #status = :pending OR supersedes = :oldId AND #status = :queued';

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
   * Reads one page of PENDING, QUEUED and FIRING schedules in partition `pk` due at or before
   * `dueUpToMs`. The status filter drops finished items server-side; the feeder decides per
   * item what to send, because it must also know whether unfinished items remain in the bucket.
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
        FilterExpression: '#status IN (:pending, :queued, :firing)',
        ProjectionExpression:
          'pk, sk, id, #status, dueAt, queuedAt, sendCount, claimedAt, deliveryFailures',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: marshall({
          ':pk': pk,
          // Sort keys start with the due time, so everything due at or before dueUpToMs sorts below this.
          ':upper': isoFromEpochMs(dueUpToMs + 1),
          ':pending': Status.pending,
          ':queued': Status.queued,
          ':firing': Status.firing,
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
          ConditionExpression: MARK_QUEUED_CONDITION,
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
   * Claims a schedule for delivery with one conditional write, moving it to FIRING. It wins while
   * the schedule is live; on a FIRING schedule it wins when this same message holds the claim
   * (an SQS redelivery), when nobody does (the feeder released a stale claim for a new message),
   * or when the claim is stale (its holder died; also how a DLQ redrive, with a new message id,
   * delivers). It never claims an item that still has `supersedes` (an unconfirmed replacement:
   * see {@link ScheduleStore.confirmReplacement}). Returns the claimed item, or null when the
   * schedule is cancelled, rescheduled, fired, claimed by a live holder, unconfirmed, or missing.
   */
  async claim(request: ClaimRequest): Promise<ScheduleItem | null> {
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(request.key),
          ConditionExpression: CLAIM_CONDITION,
          // A redelivery or takeover keeps the first claim's firedAt, so every copy is identical.
          UpdateExpression:
            'SET #status = :firing, claimedBy = :messageId, claimedAt = :now, firedAt = if_not_exists(firedAt, :now) REMOVE pendingOwner',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({
            ':pending': Status.pending,
            ':queued': Status.queued,
            ':firing': Status.firing,
            ':messageId': request.messageId,
            ':now': isoFromEpochMs(request.nowMs),
            ':staleBefore': isoFromEpochMs(request.staleBeforeMs),
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
   * Records that `channels` now have the event and, when every channel has it (`complete`),
   * finishes the schedule: FIRED with its TTL. Otherwise it also counts one failed attempt; the
   * claim is kept, so the redelivery of the same message goes on where this one stopped.
   */
  async recordDelivery(
    key: ScheduleKey,
    outcome: {
      readonly channels: readonly string[];
      readonly complete: boolean;
      readonly ttlSeconds: number;
    },
  ): Promise<void> {
    const values: Record<string, unknown> = { ':firing': Status.firing };
    const set: string[] = [];
    const add: string[] = [];
    if (outcome.complete) {
      set.push('#status = :fired', '#ttl = if_not_exists(#ttl, :ttl)');
      values[':fired'] = Status.fired;
      values[':ttl'] = outcome.ttlSeconds;
    } else {
      add.push('deliveryFailures :one');
      values[':one'] = 1;
    }
    // DynamoDB refuses an empty set, so the channels are added only when there are some.
    if (outcome.channels.length > 0) {
      add.push('deliveredTo :channels');
      values[':channels'] = new Set(outcome.channels);
    }
    const clauses = [
      set.length > 0 ? `SET ${set.join(', ')}` : '',
      add.length > 0 ? `ADD ${add.join(', ')}` : '',
    ];
    await this.client
      .send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          // A concurrent holder may have finished it first; recording again changes nothing.
          ConditionExpression: outcome.complete ? RECORD_COMPLETE_CONDITION : '#status = :firing',
          UpdateExpression: clauses.filter((clause) => clause !== '').join(' '),
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(outcome.complete ? { '#ttl': TTL_ATTRIBUTE } : {}),
          },
          ExpressionAttributeValues: marshall(values),
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionalCheckFailure(error)) throw error;
      });
  }

  /**
   * Releases a stale FIRING claim so a new delay message can take it (the feeder's re-delivery).
   * Conditional on the claim time the feeder read: a claim taken again meanwhile is left alone.
   * Counts as a hand-over (`queuedAt`, `sendCount`) so repeated re-deliveries back off. Returns
   * whether it released.
   */
  async releaseStaleClaim(key: ScheduleKey, claimedAt: string, nowMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          ConditionExpression: '#status = :firing AND claimedAt = :claimedAt',
          UpdateExpression: 'SET queuedAt = :now ADD sendCount :one REMOVE claimedBy',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({
            ':firing': Status.firing,
            ':claimedAt': claimedAt,
            ':now': isoFromEpochMs(nowMs),
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
   * Confirms an unconfirmed replacement whose old schedule is already RESCHEDULED to it (the
   * resolver's own confirming write, made by the dispatcher when it gets there first): puts it
   * on the owner index and removes `supersedes`, so it can be claimed. Returns false when
   * `supersedes` no longer names `oldId` (confirmed or voided meanwhile) or the replacement is no
   * longer live (cancelled meanwhile: it must not come back onto the owner index).
   */
  async confirmReplacement(key: ScheduleKey, oldId: string, owner: string): Promise<boolean> {
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key: keyOf(key),
      // Flat form of `supersedes = :oldId AND #status IN (:pending, :queued)` (AND binds first).
      ConditionExpression:
        'supersedes = :oldId AND #status = :pending OR supersedes = :oldId AND #status = :queued',
      UpdateExpression: 'SET pendingOwner = :owner REMOVE supersedes',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: marshall({
        ':oldId': oldId,
        ':owner': owner,
        ':pending': Status.pending,
        ':queued': Status.queued,
      }),
    });
  }

  /**
   * Voids a replacement that was never confirmed (its reschedule lost, or its resolver died
   * before retiring the old schedule): CANCELLED with its TTL, off the owner index, so it never
   * fires. Conditional on `supersedes` still naming `oldId` and the item being live; returns
   * false when it was confirmed, voided or finished meanwhile.
   */
  async voidReplacement(
    key: ScheduleKey,
    oldId: string,
    nowMs: number,
    ttlSeconds: number,
  ): Promise<boolean> {
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key: keyOf(key),
      ConditionExpression: VOID_REPLACEMENT_CONDITION,
      UpdateExpression:
        'SET #status = :cancelled, cancelledAt = :now, #ttl = :ttl REMOVE supersedes, pendingOwner',
      ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: marshall({
        ':oldId': oldId,
        ':pending': Status.pending,
        ':queued': Status.queued,
        ':cancelled': Status.cancelled,
        ':now': isoFromEpochMs(nowMs),
        ':ttl': ttlSeconds,
      }),
    });
  }

  /** Runs one conditional UpdateItem; false when its condition failed. */
  private async conditionalUpdate(
    input: ConstructorParameters<typeof UpdateItemCommand>[0],
  ): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand(input));
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
