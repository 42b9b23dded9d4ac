import type { ScheduleItem, ScheduleKey } from '../../src/domain/index.js';

/** What `createSchedule`'s pipeline steps share through `ctx.stash`. */
export interface CreateScheduleStash {
  /** The schedule this request would create (or replays). */
  item: ScheduleItem;
  /** Key of the idempotency record; absent without a clientToken. */
  tokenKey?: ScheduleKey;
  /** How the request named its due time (`dueAt:<iso>` or `delaySeconds:<n>`): with the payload, its fingerprint. */
  requestDue: string;
  /** Epoch seconds after which the idempotency record may expire. */
  tokenTtl: number;
  /** Due time in epoch ms, for the SQS delay. */
  dueAtMs: number;
  /** The stored item when this request replays an earlier one with the same clientToken. */
  replay?: ScheduleItem;
  /** Whether this request's put created the schedule item. */
  created?: boolean;
  /** The schedule returned to the caller. */
  schedule?: ScheduleItem;
  /** Set when the SQS hand-over failed; the feeder's stranded sweep re-sends it. */
  sendFailed?: boolean;
}

/** The idempotency record stored at `clientTokenKey(owner, token)`. */
export interface ClientTokenRecord {
  readonly pk: string;
  readonly sk: string;
  readonly scheduleId: string;
  readonly requestDue: string;
  readonly item: ScheduleItem;
  readonly ttl: number;
}
