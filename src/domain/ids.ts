/*
 * A schedule id is `<dueAt epoch ms>-<shard>-<ULID>`, e.g. `1805535107123-2-01JD3Q9W7K8M2N4P6R8T0V2X4Z`.
 * Carrying the due time and the shard lets cancel and the dispatcher compute the item's key
 * without a lookup, and keeps the key stable if the shard count is raised later.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_LENGTH = 26;

/** What an id says about its schedule. */
export interface ParsedScheduleId {
  readonly dueAtMs: number;
  readonly shard: number;
  readonly ulid: string;
}

function isCanonicalInteger(text: string): boolean {
  const value = Number(text);
  return text !== '' && Math.floor(value) === value && value >= 0 && String(value) === text;
}

function isUlid(text: string): boolean {
  if (text.length !== ULID_LENGTH) {
    return false;
  }
  for (const ch of text.split('')) {
    if (CROCKFORD.indexOf(ch) < 0) {
      return false;
    }
  }
  return true;
}

/**
 * Picks a shard from the ULID's last four characters, which are random, so schedules spread
 * evenly over `shardCount` shards (2^20 values; the modulo bias is below 0.1% for 1,000 shards).
 */
export function shardForUlid(ulid: string, shardCount: number): number {
  let value = 0;
  for (const ch of ulid.slice(-4).toUpperCase().split('')) {
    value = value * 32 + Math.max(0, CROCKFORD.indexOf(ch));
  }
  return value % shardCount;
}

/** Builds the id of a schedule due at `dueAtMs` from a fresh ULID (`util.autoUlid()` in resolvers). */
export function makeScheduleId(dueAtMs: number, ulid: string, shardCount: number): string {
  const normalized = ulid.toUpperCase();
  return `${dueAtMs}-${shardForUlid(normalized, shardCount)}-${normalized}`;
}

/** Parses an id made by {@link makeScheduleId}; null for anything else. */
export function parseScheduleId(id: string): ParsedScheduleId | null {
  const parts = id.split('-');
  if (parts.length !== 3) {
    return null;
  }
  const [dueText = '', shardText = '', ulid = ''] = parts;
  if (!isCanonicalInteger(dueText) || !isCanonicalInteger(shardText) || !isUlid(ulid)) {
    return null;
  }
  return { dueAtMs: Number(dueText), shard: Number(shardText), ulid };
}
