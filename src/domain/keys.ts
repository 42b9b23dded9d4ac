import { parseScheduleId } from './ids.js';
import { isoFromEpochMs } from './time.js';

/** Primary key of a schedule item. */
export interface ScheduleKey {
  /** `j#<bucket start, yyyy-mm-ddThh:mm UTC>#<shard>` */
  readonly pk: string;
  /** `<dueAt ISO with ms>#<id>`, so a bucket reads in due order. */
  readonly sk: string;
}

/** Start (epoch ms) of the time bucket holding `epochMs`. */
export function bucketStartMs(epochMs: number, bucketWidthSeconds: number): number {
  const widthMs = bucketWidthSeconds * 1000;
  return Math.floor(epochMs / widthMs) * widthMs;
}

/** Partition key of one shard of the bucket starting at `bucketStart` (epoch ms). */
export function bucketPartitionKey(bucketStart: number, shard: number): string {
  return `j#${isoFromEpochMs(bucketStart).slice(0, 16)}#${shard}`;
}

/** Key of the schedule with this id, or null when the id is not one of ours. */
export function scheduleKey(id: string, bucketWidthSeconds: number): ScheduleKey | null {
  const parsed = parseScheduleId(id);
  if (parsed === null) {
    return null;
  }
  return {
    pk: bucketPartitionKey(bucketStartMs(parsed.dueAtMs, bucketWidthSeconds), parsed.shard),
    sk: `${isoFromEpochMs(parsed.dueAtMs)}#${id}`,
  };
}

/** Key of the record that makes `createSchedule` idempotent per owner and client token. */
export function clientTokenKey(owner: string, clientToken: string): ScheduleKey {
  return { pk: `t#${owner}#${clientToken}`, sk: 't' };
}

/**
 * Key of the record that maps an owner's schedule key to the id of the schedule holding it. The
 * record has no `owner` attribute, so it stays off the owner indexes.
 */
export function scheduleKeyRecordKey(owner: string, key: string): ScheduleKey {
  return { pk: `k#${owner}#${key}`, sk: 'k' };
}
