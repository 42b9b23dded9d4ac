import type { ScheduleItem, ScheduleKey } from '../../src/domain/index.js';
import type { ConflictPolicy } from '../../src/generated/graphql.js';
import type { KeyLookup } from './key-lookup.js';

/** A write of the key record planned by the key decision. */
export interface KeyRecordWrite {
  /** The schedule the record will name. */
  readonly scheduleId: string;
  /** Ids the record may name for the write to go ahead; empty: it must not exist. */
  readonly expected: readonly string[];
  readonly ttl: number;
  /** True when this takes the key for the new item (a lost race refuses the request); false when it only moves a lagging record forward (best effort). */
  readonly take: boolean;
}

/** What `createSchedule`'s pipeline steps share through `ctx.stash`. */
export interface CreateScheduleStash {
  /** The schedule this request would create (or replays), as it stands once confirmed. */
  item: ScheduleItem;
  /** Key of the idempotency record; absent without a clientToken. */
  tokenKey?: ScheduleKey;
  /** How the request named its due time (`dueAt:<iso>` or `delaySeconds:<n>`): with the payload, its fingerprint. */
  requestDue: string;
  /** Epoch seconds after which the idempotency record may expire. */
  tokenTtl: number;
  /** Due time in epoch ms, for the SQS delay. */
  dueAtMs: number;
  /** What to do about a live holder of the key. */
  onConflict: ConflictPolicy;
  /** The key lookup, when the input has a key. */
  lookup?: KeyLookup;
  /** Key of the schedule the key record names, read by step 3. */
  recordTarget?: ScheduleKey | null;
  /** When the key record read was taken (epoch ms), if it says. */
  recordTakenAt?: number;
  /** The key record write step 5 makes, if any. */
  keyWrite?: KeyRecordWrite;
  /** An error raised once step 5 has moved a lagging key record forward. */
  afterKeyWrite?: string;
  /** REPLACE: the live holder this request supersedes. */
  replacing?: ScheduleItem;
  /** REPLACE: whether the holder was retired (the deciding write). */
  retired?: boolean;
  /** Set when the request is answered without writing (KEEP). */
  done?: boolean;
  /** A replay may re-put its item only when nothing else can have taken its key meanwhile. */
  healBlocked?: boolean;
  /**
   * Set on a replay whose recorded item is older than the retention period: if it is missing now
   * it finished and expired, and putting it again would bring back a fired or cancelled schedule.
   */
  healExpired?: boolean;
  /** Epoch ms before which a recorded item may have finished and expired (now minus retention). */
  expiredBeforeMs: number;
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
