/*
 * cancelSchedule: one conditional update does the work; when its condition fails, a read
 * explains why without revealing whether another owner's schedule exists.
 */
import { util, type Context } from '@aws-appsync/utils';
import {
  ErrorType,
  scheduleKey,
  validateIdArgument,
  type ScheduleItem,
} from '../../src/domain/index.js';
import type { MutationCancelScheduleArgs } from '../../src/generated/graphql.js';
import { callerOwner, settingsFrom, valueOrFail } from '../lib/common.js';
import type { CancelScheduleStash } from '../lib/cancel-stash.js';

/** Resolves the id to its key; an id that is not ours is simply not found. */
export function request(
  ctx: Context<MutationCancelScheduleArgs, CancelScheduleStash>,
): Record<string, never> {
  const settings = settingsFrom(ctx.env);
  const id = valueOrFail(validateIdArgument('id', ctx.args.id ?? ''));
  const key = scheduleKey(id, settings.bucketWidthSeconds);
  if (key === null) {
    util.error(`No schedule with id ${id}`, ErrorType.notFound);
  }
  ctx.stash.key = key;
  ctx.stash.owner = callerOwner(ctx.identity);
  return {};
}

/** Returns the cancelled schedule. */
export function response(
  ctx: Context<MutationCancelScheduleArgs, CancelScheduleStash>,
): ScheduleItem | undefined {
  return ctx.stash.schedule;
}
