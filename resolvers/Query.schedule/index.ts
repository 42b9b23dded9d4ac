/*
 * schedule(id | key): by id, one read at the key the id encodes; by key, the key lookup (record,
 * schedule, one hop past a reschedule). Another owner's schedule is null.
 */
import { util, type Context } from '@aws-appsync/utils';
import {
  exactlyOne,
  scheduleKey,
  scheduleView,
  validateIdArgument,
  validateScheduleKey,
  type ScheduleView,
} from '../../src/domain/index.js';
import type { QueryScheduleArgs } from '../../src/generated/graphql.js';
import { callerOwner, settingsFrom, valueOrFail } from '../lib/common.js';
import type { ScheduleQueryStash } from '../lib/schedule-query-stash.js';

/** Checks that exactly one of id and key is given and prepares the reads. */
export function request(
  ctx: Context<QueryScheduleArgs, ScheduleQueryStash>,
): Record<string, never> {
  const settings = settingsFrom(ctx.env);
  const args = ctx.args;
  const hasId = args.id !== undefined && args.id !== null;
  const hasKey = args.key !== undefined && args.key !== null;
  valueOrFail(exactlyOne('id', hasId, 'key', hasKey));
  const owner = callerOwner(ctx.identity);
  ctx.stash.owner = owner;
  if (hasKey) {
    ctx.stash.lookup = { owner, key: valueOrFail(validateScheduleKey('key', args.key)) };
  } else {
    const id = valueOrFail(validateIdArgument('id', args.id ?? ''));
    ctx.stash.idKey = scheduleKey(id, settings.bucketWidthSeconds);
  }
  return {};
}

/**
 * By id, the caller's item or null; by key, the live holder, else the last schedule the lookup
 * ended on (so a fired one is still visible), else null.
 */
export function response(ctx: Context<QueryScheduleArgs, ScheduleQueryStash>): ScheduleView | null {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const lookup = ctx.stash.lookup;
  const item = lookup === undefined ? ctx.stash.schedule : lookup.schedule;
  return item === undefined || item === null ? null : scheduleView(item);
}
