/*
 * createSchedule: validates the input, then writes idempotently (no transactions) and hands
 * fast-path schedules to the delay queue. With a key: finds the key's live holder (steps 2-4),
 * then takes the free key before anything else is written, or answers the holder per onConflict
 * (REJECT, KEEP, or REPLACE by the supersede protocol, steps 7-9). The steps share the stash.
 */
import { util, type Context } from '@aws-appsync/utils';
import {
  ErrorType,
  clientTokenKey,
  makeScheduleId,
  scheduleKey,
  validateCreateSchedule,
  scheduleView,
  type ScheduleView,
} from '../../src/domain/index.js';
import type { MutationCreateScheduleArgs } from '../../src/generated/graphql.js';
import { callerOwner, settingsFrom } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';
import { newScheduleItem } from '../lib/new-schedule.js';

const DAY_SECONDS = 86_400;

/** Validates the input and plans the item; the pipeline functions do the writes. */
export function request(
  ctx: Context<MutationCreateScheduleArgs, CreateScheduleStash>,
): Record<string, never> {
  const settings = settingsFrom(ctx.env);
  const input = ctx.args.input;
  const nowMs = util.time.nowEpochMilliSeconds();
  const dueAtText = input.dueAt ?? null;
  // AWSJSON arrives parsed, as in AppSync; the domain checks the value and stores its JSON text.
  // The domain parses dueAt itself: util.time's handling of offsets is not documented.
  const parsed = validateCreateSchedule(
    {
      dueAt: dueAtText,
      delaySeconds: input.delaySeconds ?? null,
      payload: input.payload as unknown,
      clientToken: input.clientToken ?? null,
      key: input.key ?? null,
      onConflict: input.onConflict ?? null,
      labels: input.labels ?? null,
      deliver: input.deliver ?? null,
    },
    nowMs,
    settings,
  );
  if (!parsed.ok) {
    return util.error(parsed.error.message, parsed.error.type);
  }
  const accepted = parsed.value;
  if (accepted.fastPath && !ctx.env['DELAY_QUEUE_URL']) {
    util.error('DELAY_QUEUE_URL is not set; received an empty value', ErrorType.configuration);
  }
  const owner = callerOwner(ctx.identity);
  const id = makeScheduleId(accepted.dueAtMs, util.autoUlid(), settings.shardCount);
  const key = scheduleKey(id, settings.bucketWidthSeconds);
  if (key === null) {
    return util.error(`Could not derive a key from id ${id}`, 'InternalError');
  }
  const item = newScheduleItem({ accepted, owner, id, key, nowMs });
  ctx.stash.item = item;
  ctx.stash.requestDue =
    dueAtText === null ? `delaySeconds:${input.delaySeconds}` : `dueAt:${accepted.dueAt}`;
  ctx.stash.expiredBeforeMs = nowMs - settings.finishedRetentionDays * DAY_SECONDS * 1000;
  ctx.stash.tokenTtl =
    Math.floor(accepted.dueAtMs / 1000) + settings.finishedRetentionDays * DAY_SECONDS;
  ctx.stash.dueAtMs = accepted.dueAtMs;
  ctx.stash.onConflict = accepted.onConflict;
  if (accepted.clientToken !== null) {
    ctx.stash.tokenKey = clientTokenKey(owner, accepted.clientToken);
  }
  if (accepted.key !== null) {
    ctx.stash.lookup = { owner, key: accepted.key };
  }
  return {};
}

/** Returns the schedule the steps created, replayed or found. */
export function response(
  ctx: Context<MutationCreateScheduleArgs, CreateScheduleStash>,
): ScheduleView | undefined {
  const item = ctx.stash.schedule;
  return item === undefined || item === null ? undefined : scheduleView(item);
}
