/*
 * cancelSchedule(id | key): by key, the key lookup finds the live holder first. One conditional
 * update does the work; when its condition fails, a read explains why without revealing whether
 * another owner's schedule exists.
 */
import { util, type Context } from '@aws-appsync/utils';
import {
  ErrorType,
  exactlyOne,
  scheduleKey,
  scheduleView,
  validateIdArgument,
  validateScheduleKey,
  type ScheduleView,
} from '../../src/domain/index.js';
import type { MutationCancelScheduleArgs } from '../../src/generated/graphql.js';
import { callerOwner, settingsFrom, valueOrFail } from '../lib/common.js';
import type { CancelScheduleStash } from '../lib/cancel-stash.js';

/** Resolves an id to its key (an id that is not ours is not found), or starts the key lookup. */
export function request(
  ctx: Context<MutationCancelScheduleArgs, CancelScheduleStash>,
): Record<string, never> {
  const settings = settingsFrom(ctx.env);
  const args = ctx.args;
  const hasId = args.id !== undefined && args.id !== null;
  const hasKey = args.key !== undefined && args.key !== null;
  valueOrFail(exactlyOne('id', hasId, 'key', hasKey));
  ctx.stash.owner = callerOwner(ctx.identity);
  if (hasKey) {
    const key = valueOrFail(validateScheduleKey('key', args.key));
    ctx.stash.lookup = { owner: ctx.stash.owner, key };
    return {};
  }
  const id = valueOrFail(validateIdArgument('id', args.id ?? ''));
  const key = scheduleKey(id, settings.bucketWidthSeconds);
  if (key === null) {
    util.error(`No schedule with id ${id}`, ErrorType.notFound);
  }
  ctx.stash.key = key;
  return {};
}

/** Returns the cancelled schedule. */
export function response(
  ctx: Context<MutationCancelScheduleArgs, CancelScheduleStash>,
): ScheduleView | null {
  const item = ctx.stash.schedule;
  return item === undefined ? null : scheduleView(item);
}
