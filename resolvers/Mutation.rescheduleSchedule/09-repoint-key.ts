/*
 * rescheduleSchedule step 9: points the key record at N, only while it names O or what step 2
 * read (so a concurrent move wins and nothing moves backwards). A failure is harmless: the
 * lookup's one hop still reaches N through O.
 */
import { runtime, util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import type { ScheduleItem } from '../../src/domain/index.js';
import { settingsFrom } from '../lib/common.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';
import { dueMs, keyRecordPutRequest, retainedUntil } from '../lib/supersede.js';

/** Moves the key record; skipped for a schedule without a key. */
export function request(ctx: Context<unknown, RescheduleStash>): DynamoDBPutItemRequest {
  const old = ctx.stash.old as ScheduleItem;
  const item = ctx.stash.item as ScheduleItem;
  const lookup = ctx.stash.lookup;
  if (!old.key || lookup === undefined || lookup === null) {
    return runtime.earlyReturn(null);
  }
  const expected = [old.id];
  const seen = lookup.recordScheduleId;
  if (seen !== undefined && seen !== old.id) {
    expected.push(seen);
  }
  return keyRecordPutRequest(
    lookup.owner,
    old.key,
    item.id,
    expected,
    retainedUntil(dueMs(item), settingsFrom(ctx.env).finishedRetentionDays),
    util.time.nowEpochMilliSeconds(),
  );
}

/** Ignores every failure: the move is already decided and the record is only a shortcut. */
export function response(_ctx: Context<unknown, RescheduleStash>): null {
  return null;
}
