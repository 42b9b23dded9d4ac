import type { DeliveryChannel } from '../generated/graphql.js';
import type { ScheduleStatus } from './status.js';

/**
 * How long a replacement item may stay unconfirmed before whoever meets it may treat it as void.
 * An AppSync request runs at most 30 seconds, so after this no resolver can still confirm it.
 */
export const SUPERSEDE_SETTLE_SECONDS = 60;

/** Name of the sparse index (pendingOwner, sk) that serves `pendingSchedules`. */
export const OWNER_INDEX = 'byOwner';
/**
 * Name of the keys-only index (owner, sk) over every schedule, live or finished, that serves
 * `schedules`. Keys only: status changes never write to it, so it costs one index write per schedule.
 */
export const HISTORY_INDEX = 'byOwnerHistory';

/**
 * A schedule as stored in DynamoDB. `pendingOwner` exists only while the schedule is live, which
 * keeps the owner index sparse; `ttl` (epoch seconds) is set once it is finished (FIRED or
 * CANCELLED), never while FIRING, so an undelivered claim is not removed.
 */
export interface ScheduleItem {
  readonly pk: string;
  readonly sk: string;
  readonly id: string;
  readonly owner: string;
  readonly dueAt: string;
  readonly payload: string;
  readonly status: ScheduleStatus;
  readonly createdAt: string;
  readonly clientToken?: string;
  /** The owner's own handle (see {@link scheduleKeyRecordKey}); kept across reschedules. */
  readonly key?: string;
  /** Labels given at create; absent on items written before labels existed (read as none). */
  readonly labels?: readonly string[];
  /** The channels to deliver to; absent means both (items written before the choice existed). */
  readonly deliver?: readonly DeliveryChannel[];
  /**
   * Set while this item is the not-yet-confirmed replacement of the schedule with this id (a
   * reschedule or a REPLACE in progress). Such an item may not be claimed: it becomes valid once
   * that schedule is RESCHEDULED with `rescheduledTo` naming this item, and void if that never
   * happens within {@link SUPERSEDE_SETTLE_SECONDS} of `createdAt`.
   */
  readonly supersedes?: string;
  /** On a RESCHEDULED item: the id of the schedule that replaced it. */
  readonly rescheduledTo?: string;
  readonly rescheduledAt?: string;
  readonly pendingOwner?: string;
  /** When the schedule was last handed to the delay queue (ISO). */
  readonly queuedAt?: string;
  /** How many times the feeder has sent it to the delay queue. */
  readonly sendCount?: number;
  readonly firedAt?: string;
  readonly cancelledAt?: string;
  /**
   * SQS message id of the message that holds the claim (FIRING) or completed it (FIRED); absent
   * on a FIRING item whose stale claim the feeder released for a new message.
   */
  readonly claimedBy?: string;
  /** When the claim was last taken (ISO); a FIRING claim older than the grace is stale. */
  readonly claimedAt?: string;
  /** The delivery channels that have the fired event (a DynamoDB string set). */
  readonly deliveredTo?: ReadonlySet<string>;
  /** How many delivery attempts failed on some channel since the claim. */
  readonly deliveryFailures?: number;
  readonly ttl?: number;
}

/**
 * The record at {@link scheduleKeyRecordKey}: which schedule holds an owner's key. It may point at
 * a schedule that has since fired, been cancelled or expired; the key is then free again.
 */
export interface ScheduleKeyRecord {
  readonly pk: string;
  readonly sk: string;
  readonly scheduleId: string;
  readonly ttl: number;
}

/** The body of a delay-queue message: the id is enough to find and claim the schedule. */
export interface DelayMessage {
  readonly id: string;
}
