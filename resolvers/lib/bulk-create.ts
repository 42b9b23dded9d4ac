/*
 * What `createSchedules`' pipeline steps share, and the helpers they have in common. Each input
 * is one entry; an entry ends with either a schedule or an item error, never failing the others.
 */
import { util } from '@aws-appsync/utils';
import { ErrorType, type ScheduleItem, type ScheduleKey } from '../../src/domain/index.js';

/** Why one item of a bulk mutation failed (the schema's `ItemError`). */
export interface ItemError {
  readonly errorType: string;
  readonly message: string;
}

/** One input of `createSchedules` on its way through the steps. */
export interface BulkCreateEntry {
  readonly index: number;
  /** Set once the item has failed; nothing more is done for it. */
  error?: ItemError;
  /** The schedule this input would create (valid inputs only). */
  item?: ScheduleItem;
  tokenKey?: ScheduleKey;
  /** `dueAt:<iso>` or `delaySeconds:<n>`: with the payload, the request's fingerprint. */
  requestDue?: string;
  tokenTtl?: number;
  dueAtMs?: number;
  /** An earlier input of this call with the same clientToken: this one mirrors its outcome. */
  sameAs?: number;
  /** The item an earlier attempt recorded under this clientToken. */
  replay?: ScheduleItem;
  /** Whether this request puts the item (new, or a replay whose item was never written). */
  write?: boolean;
  /** Whether the token record must be written too (not for a replay). */
  writeToken?: boolean;
  /** Whether this request's put wrote the item: a QUEUED one is then sent to the delay queue. */
  created?: boolean;
  /** The schedule returned for this input. */
  schedule?: ScheduleItem;
}

/** `createSchedules`' stash. */
export interface BulkCreateStash {
  tableName: string;
  owner: string;
  nowMs: number;
  finishedRetentionDays: number;
  entries: BulkCreateEntry[];
  /** Hand-overs to the delay queue that failed (an upper bound); the stranded sweep re-sends them. */
  sendFailures?: number;
}

/** The most inputs one bulk call takes: one BatchWriteItem holds at most 25 puts. */
export const MAX_BULK_ITEMS = 25;
/** SendMessageBatch takes at most 10 entries. */
export const SQS_BATCH_SIZE = 10;

/** Refuses a list of bulk items that is empty or longer than {@link MAX_BULK_ITEMS}. */
export function checkBulkCount(argument: string, count: number): void {
  if (count < 1 || count > MAX_BULK_ITEMS) {
    util.error(
      `${argument} must hold 1 to ${MAX_BULK_ITEMS} items; received ${count}`,
      ErrorType.validation,
    );
  }
}

/** Whether a stored item has this key. */
export function hasKey(item: { pk?: unknown; sk?: unknown } | null, key: ScheduleKey): boolean {
  return item !== null && item.pk === key.pk && item.sk === key.sk;
}

/** The item among a batch read's results (in any order, nulls for missing) with this key. */
export function findByKey<T extends { pk?: unknown; sk?: unknown }>(
  found: readonly (T | null)[],
  key: ScheduleKey,
): T | null {
  for (const item of found) {
    if (item !== null && hasKey(item, key)) {
      return item;
    }
  }
  return null;
}

/** Adds a key to a batch request's key list unless it is there already (DynamoDB refuses duplicates). */
export function addUniqueKey(keys: ScheduleKey[], key: ScheduleKey): void {
  for (const known of keys) {
    if (known.pk === key.pk && known.sk === key.sk) {
      return;
    }
  }
  keys.push(key);
}

/** The items a batch data source call returned for the table (`data.<table>`), nulls kept. */
export function batchData<T>(result: unknown, tableName: string): (T | null)[] {
  const data = (result as { data?: Record<string, (T | null)[]> } | null)?.data;
  return data?.[tableName] ?? [];
}

/** What a batch write left unprocessed for the table (`unprocessedItems.<table>`). */
export function batchUnprocessed<T>(result: unknown, tableName: string): T[] {
  const left = (result as { unprocessedItems?: Record<string, T[]> } | null)?.unprocessedItems;
  return left?.[tableName] ?? [];
}

/** Whether the steps still act on this entry itself (not failed, not a repeat of an earlier input). */
export function isOpen(entry: BulkCreateEntry): boolean {
  return entry.error === undefined && entry.sameAs === undefined && entry.item !== undefined;
}
