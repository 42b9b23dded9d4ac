/*
 * Finding the schedule that holds an owner's key: read the key record, read the schedule it names,
 * and, when that one was rescheduled, read its replacement (one hop). A pipeline spends one
 * function per read; these helpers build the requests and judge the answers.
 */
import { runtime, util, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import {
  Status,
  exactlyOne,
  isLive,
  scheduleKey,
  validateIdArgument,
  validateScheduleKey,
  scheduleKeyRecordKey,
  type ScheduleItem,
  type ScheduleKey,
  type ScheduleKeyRecord,
} from '../../src/domain/index.js';
import { valueOrFail } from './common.js';

/** What a key lookup has found so far, kept in the stash between the reads. */
export interface KeyLookup {
  readonly owner: string;
  readonly key: string;
  /** The schedule the key record names (its id), when there is a record. */
  recordScheduleId?: string;
  /** The schedule the lookup ends on: the holder, or the last one read. */
  schedule?: ScheduleItem;
  /** Set when the schedule read was RESCHEDULED and its replacement is still to be read. */
  hopKey?: ScheduleKey;
}

/** A consistent read of the key record. */
export function keyRecordRequest(lookup: KeyLookup): DynamoDBGetItemRequest {
  const recordKey = scheduleKeyRecordKey(lookup.owner, lookup.key);
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: recordKey.pk, sk: recordKey.sk }),
    consistentRead: true,
  };
}

/** Notes which schedule the key record names; returns that schedule's key, or null without one. */
export function afterKeyRecord(
  lookup: KeyLookup,
  record: ScheduleKeyRecord | null | undefined,
  bucketWidthSeconds: number,
): ScheduleKey | null {
  if (record === undefined || record === null) {
    return null;
  }
  lookup.recordScheduleId = record.scheduleId;
  return scheduleKey(record.scheduleId, bucketWidthSeconds);
}

/** A consistent read of one schedule item, or an early return (null) when there is nothing to read. */
export function scheduleReadRequest(key: ScheduleKey | null | undefined): DynamoDBGetItemRequest {
  if (key === undefined || key === null) {
    return runtime.earlyReturn(null);
  }
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: key.pk, sk: key.sk }),
    consistentRead: true,
  };
}

/**
 * Records a schedule the lookup read. Another owner's item, or one that does not carry this key,
 * counts as nothing; a RESCHEDULED one sets `hopKey` to its replacement.
 */
export function afterScheduleRead(
  lookup: KeyLookup,
  item: ScheduleItem | null | undefined,
  bucketWidthSeconds: number,
): void {
  lookup.hopKey = undefined;
  if (item === undefined || item === null) {
    return;
  }
  if (item.owner !== lookup.owner || item.key !== lookup.key) {
    return;
  }
  lookup.schedule = item;
  if (item.status === Status.rescheduled && item.rescheduledTo) {
    const next = scheduleKey(item.rescheduledTo, bucketWidthSeconds);
    lookup.hopKey = next === null ? undefined : next;
  }
}

/** The live schedule holding the key after the reads, or null when the key is free. */
export function liveHolder(lookup: KeyLookup): ScheduleItem | null {
  const item = lookup.schedule;
  return item !== undefined && isLive(item.status) ? item : null;
}

/** Where an `id | key` argument pair points: a key lookup to start, or the item an id encodes. */
export interface ScheduleTarget {
  /** By key: the lookup to run. */
  readonly lookup?: KeyLookup;
  /** By id: the id as given. */
  readonly id?: string;
  /** By id: the item's key, or null when the id is not one of ours. */
  readonly idKey?: ScheduleKey | null;
}

/**
 * Checks that exactly one of `id` and `key` is given and validates it (a ValidationError naming
 * the argument otherwise), for the by-id-or-key queries and mutations.
 */
export function scheduleTarget(
  args: { readonly id?: string | null; readonly key?: string | null },
  owner: string,
  bucketWidthSeconds: number,
): ScheduleTarget {
  const hasId = args.id !== undefined && args.id !== null;
  const hasKey = args.key !== undefined && args.key !== null;
  valueOrFail(exactlyOne('id', hasId, 'key', hasKey));
  if (hasKey) {
    return { lookup: { owner, key: valueOrFail(validateScheduleKey('key', args.key)) } };
  }
  const id = valueOrFail(validateIdArgument('id', args.id ?? ''));
  return { id, idKey: scheduleKey(id, bucketWidthSeconds) };
}
