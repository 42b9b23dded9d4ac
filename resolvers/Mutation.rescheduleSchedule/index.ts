/*
 * rescheduleSchedule: moves a live schedule, found by id or by key, to a new due time. The id
 * encodes the due time, so this writes a new item N and retires the old one O by the supersede
 * protocol (resolvers/lib/supersede.ts); the key, if any, moves with it.
 */
import { util, type Context } from '@aws-appsync/utils';
import { ErrorType, scheduleView, type ScheduleView } from '../../src/domain/index.js';
import type { MutationRescheduleScheduleArgs } from '../../src/generated/graphql.js';
import { callerOwner, settingsFrom, valueOrFail } from '../lib/common.js';
import { scheduleTarget } from '../lib/key-lookup.js';
import { validateRescheduleDue, type RescheduleStash } from '../lib/reschedule-stash.js';

/** Validates the arguments; the pipeline functions find O and move it. */
export function request(
  ctx: Context<MutationRescheduleScheduleArgs, RescheduleStash>,
): Record<string, never> {
  const settings = settingsFrom(ctx.env);
  const args = ctx.args;
  const owner = callerOwner(ctx.identity);
  const target = scheduleTarget(args, owner, settings.bucketWidthSeconds);
  const nowMs = util.time.nowEpochMilliSeconds();
  const dueAtMs = valueOrFail(
    validateRescheduleDue({ dueAt: args.dueAt, delaySeconds: args.delaySeconds }, nowMs, settings),
  );
  const stash = { owner, dueAtMs } as RescheduleStash;
  if (target.lookup) {
    stash.lookup = target.lookup;
  } else {
    if (!target.idKey) {
      util.error(`No schedule with id ${String(target.id)}`, ErrorType.notFound);
    }
    stash.id = target.id;
    stash.idKey = target.idKey;
  }
  Object.assign(ctx.stash, stash);
  return {};
}

/** Returns the new schedule (its id changed; its key, payload, labels and channels did not). */
export function response(
  ctx: Context<MutationRescheduleScheduleArgs, RescheduleStash>,
): ScheduleView | undefined {
  const item = ctx.stash.item;
  return item === undefined || item === null ? undefined : scheduleView(item);
}
