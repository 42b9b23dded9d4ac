/*
 * cancelSchedule(id | key): by key, the key lookup finds the live holder first. One conditional
 * update does the work; when its condition fails, a read explains why without revealing whether
 * another owner's schedule exists.
 */
import { util, type Context } from '@aws-appsync/utils';
import { ErrorType, scheduleView, type ScheduleView } from '../../src/domain/index.js';
import type { MutationCancelScheduleArgs } from '../../src/generated/graphql.js';
import { callerOwner, settingsFrom } from '../lib/common.js';
import { scheduleTarget } from '../lib/key-lookup.js';
import type { CancelScheduleStash } from '../lib/cancel-stash.js';

/** Resolves an id to its key (an id that is not ours is not found), or starts the key lookup. */
export function request(
  ctx: Context<MutationCancelScheduleArgs, CancelScheduleStash>,
): Record<string, never> {
  ctx.stash.owner = callerOwner(ctx.identity);
  const target = scheduleTarget(
    ctx.args,
    ctx.stash.owner,
    settingsFrom(ctx.env).bucketWidthSeconds,
  );
  if (target.lookup) {
    ctx.stash.lookup = target.lookup;
    return {};
  }
  if (!target.idKey) {
    util.error(`No schedule with id ${String(target.id)}`, ErrorType.notFound);
  }
  ctx.stash.key = target.idKey;
  return {};
}

/** Returns the cancelled schedule. */
export function response(
  ctx: Context<MutationCancelScheduleArgs, CancelScheduleStash>,
): ScheduleView | null {
  const item = ctx.stash.schedule;
  return item === undefined ? null : scheduleView(item);
}
