/*
 * rescheduleSchedule step 5: writes N, a copy of O at the new due time (new id; same key,
 * payload, labels and channels), unconfirmed: `supersedes` O and not listed, so nothing can fire
 * or show it before O is retired.
 */
import { util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import {
  ALL_CHANNELS,
  isFastPath,
  isoFromEpochMs,
  makeScheduleId,
  scheduleKey,
} from '../../src/domain/index.js';
import { failOnError, isConditionFailure, settingsFrom } from '../lib/common.js';
import { newScheduleItem } from '../lib/new-schedule.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';
import { putNewItemRequest, unconfirmedItem } from '../lib/supersede.js';
import { settleHolder } from './04-read-hop.js';

/** Plans N from O and puts it unless an item with its key exists. */
export function request(ctx: Context<unknown, RescheduleStash>): DynamoDBPutItemRequest {
  const settings = settingsFrom(ctx.env);
  const old = settleHolder(ctx.stash);
  const dueAtMs = ctx.stash.dueAtMs;
  const nowMs = util.time.nowEpochMilliSeconds();
  const fastPath = isFastPath(dueAtMs, nowMs, settings);
  if (fastPath && !ctx.env['DELAY_QUEUE_URL']) {
    util.error('DELAY_QUEUE_URL is not set; received an empty value', 'ConfigurationError');
  }
  const id = makeScheduleId(dueAtMs, util.autoUlid(), settings.shardCount);
  const key = scheduleKey(id, settings.bucketWidthSeconds);
  if (key === null) {
    return util.error(`Could not derive a key from id ${id}`, 'InternalError');
  }
  const item = newScheduleItem({
    accepted: {
      dueAtMs,
      dueAt: isoFromEpochMs(dueAtMs),
      payload: old.payload,
      clientToken: null,
      key: old.key ?? null,
      onConflict: 'REJECT',
      labels: (old.labels ?? []).slice(),
      deliver: (old.deliver ?? ALL_CHANNELS).slice(),
      fastPath,
    },
    owner: old.owner,
    id,
    key,
    nowMs,
  });
  ctx.stash.item = item;
  return putNewItemRequest(unconfirmedItem(item, old.id));
}

/** The id is minted here, so an existing item is this request's own put met again by a retry. */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  if (!isConditionFailure(ctx.error)) {
    failOnError(ctx.error);
  }
  return null;
}
