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

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
// Five polynomial hashes modulo the prime 2^31 - 1, each with its own multiplier: products stay
// below 2^53, so plain arithmetic is exact (APPSYNC_JS has no Math.imul and no charCodeAt).
const HASH_PRIME = 2_147_483_647;
const HASH_MULTIPLIERS = [48_271, 69_621, 16_807, 39_373, 92_717];

/**
 * A ULID derived only from `seedBase64` (base64 text, e.g. `util.base64Encode` of the seed), so
 * the same seed always gives the same ULID. Used where a retry must rebuild the id of the schedule
 * an earlier attempt wrote (bulk creates have no conditional write to catch a duplicate). Not a
 * cryptographic hash: callers must not trust that two seeds never collide.
 */
export function ulidFromBase64Seed(seedBase64: string): string {
  const lanes = HASH_MULTIPLIERS.map((multiplier, lane) => {
    let hash = lane + 1;
    for (const ch of seedBase64.split('')) {
      hash = (hash * multiplier + BASE64_ALPHABET.indexOf(ch) + 2) % HASH_PRIME;
    }
    return hash;
  });
  let digits = '';
  for (const lane of lanes) {
    let rest = lane;
    for (const _ of [0, 1, 2, 3, 4, 5]) {
      digits += CROCKFORD.charAt(rest % 32);
      rest = Math.floor(rest / 32);
    }
  }
  // A ULID's first character is at most 7 (128 bits in 26 base-32 digits).
  return CROCKFORD.charAt(CROCKFORD.indexOf(digits.charAt(0)) % 8) + digits.slice(1, ULID_LENGTH);
}
