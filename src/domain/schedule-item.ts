import type { ScheduleStatus } from './status.js';

/** Name of the sparse index (pendingOwner, sk) that serves `pendingSchedules`. */
export const OWNER_INDEX = 'byOwner';

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

/** The body of a delay-queue message: the id is enough to find and claim the schedule. */
export interface DelayMessage {
  readonly id: string;
}
