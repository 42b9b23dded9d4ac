/*
 * createSchedule step 4: reads the replacement of a RESCHEDULED schedule (one hop). `decideKey`,
 * run by step 5 once the lookup is complete, says what the key means for this request.
 */
import { util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { ErrorType, SUPERSEDE_SETTLE_SECONDS, type ScheduleItem } from '../../src/domain/index.js';
import { failOnError, settingsFrom } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';
import {
  afterScheduleRead,
  liveHolder,
  scheduleReadRequest,
  type KeyLookup,
} from '../lib/key-lookup.js';
import { dueMs, retainedUntil } from '../lib/supersede.js';

/** Reads the hop; skipped unless step 3 read a RESCHEDULED schedule. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBGetItemRequest {
  const lookup = ctx.stash.lookup;
  return scheduleReadRequest(lookup === undefined || lookup === null ? null : lookup.hopKey);
}

/** Records the hop (a request with nothing to read skips this response). */
export function response(ctx: Context<unknown, CreateScheduleStash>): null {
  failOnError(ctx.error);
  const lookup = ctx.stash.lookup;
  if (lookup !== undefined && lookup !== null && lookup.hopKey) {
    const width = settingsFrom(ctx.env).bucketWidthSeconds;
    afterScheduleRead(lookup, ctx.result as ScheduleItem | null | undefined, width);
  }
  return null;
}

/**
 * Decides what the key means for this request, once the lookup is complete: plans the key record
 * write of step 5, answers KEEP, or raises the REJECT and retry errors. A replay only learns
 * whether it may re-put a lost item.
 */
export function decideKey(stash: CreateScheduleStash, retentionDays: number): void {
  const lookup = stash.lookup;
  if (lookup === undefined || lookup === null) {
    return;
  }
  const replay = stash.replay;
  if (replay !== undefined && replay !== null) {
    // The first attempt took the key for its own item before writing it; if the record names
    // another schedule now, re-putting a lost item could give the key a second live holder.
    stash.healBlocked = lookup.recordScheduleId !== replay.id;
    return;
  }
  planKey(stash, lookup, retentionDays);
}

function describeKey(lookup: KeyLookup): string {
  return `key ${JSON.stringify(lookup.key)}`;
}

/** Plans the key for a first attempt; raises the REJECT and retry errors. */
function planKey(stash: CreateScheduleStash, lookup: KeyLookup, retentionDays: number): void {
  const item = stash.item;
  const seen = lookup.recordScheduleId;
  const expected = seen === undefined ? [] : [seen];
  const last = lookup.schedule;
  if (lookup.hopKey && last !== undefined) {
    // Two moves since the record was last written: move it one step forward and ask for a retry.
    stash.keyWrite = {
      scheduleId: last.id,
      expected,
      ttl: retainedUntil(dueMs(item), retentionDays),
      take: false,
    };
    stash.afterKeyWrite = `${describeKey(lookup)} is being moved (schedule ${last.id} was rescheduled to ${String(last.rescheduledTo)}); retry`;
    return;
  }
  const holder = liveHolder(lookup);
  if (holder !== null) {
    answerHolder(stash, lookup, holder, retentionDays);
    return;
  }
  const nowMs = util.time.nowEpochMilliSeconds();
  const takenAt = stash.recordTakenAt;
  if (
    seen !== undefined &&
    last === undefined &&
    takenAt !== undefined &&
    nowMs - takenAt < SUPERSEDE_SETTLE_SECONDS * 1000
  ) {
    // The record names a schedule not written yet: its taker may still be writing it.
    util.error(
      `${describeKey(lookup)} is being taken by another request (schedule ${seen}); retry`,
      ErrorType.conflict,
    );
  }
  stash.keyWrite = {
    scheduleId: item.id,
    expected,
    ttl: retainedUntil(dueMs(item), retentionDays),
    take: true,
  };
}

/** REJECT refuses, KEEP returns the holder, REPLACE plans the supersede. */
function answerHolder(
  stash: CreateScheduleStash,
  lookup: KeyLookup,
  holder: ScheduleItem,
  retentionDays: number,
): void {
  if (stash.onConflict === 'KEEP') {
    stash.schedule = holder;
    stash.done = true;
    return;
  }
  if (stash.onConflict !== 'REPLACE') {
    util.error(
      `${describeKey(lookup)} is already held by schedule ${holder.id} (${holder.status}, due ${holder.dueAt}); use onConflict REPLACE or KEEP, or another key`,
      ErrorType.conflict,
    );
  }
  stash.replacing = holder;
  if (lookup.recordScheduleId !== holder.id) {
    // The record lags one move behind: point it at the holder first, so that once the holder
    // is retired towards the new item, the lookup's single hop still reaches the new item.
    stash.keyWrite = {
      scheduleId: holder.id,
      expected: lookup.recordScheduleId === undefined ? [] : [lookup.recordScheduleId],
      ttl: retainedUntil(Math.max(dueMs(holder), dueMs(stash.item)), retentionDays),
      take: false,
    };
  }
}
