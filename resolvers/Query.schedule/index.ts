/*
 * schedule(id | key): by id, one read at the key the id encodes; by key, the key lookup (record,
 * schedule, one hop past a reschedule). Another owner's schedule is null.
 */
import { util, type Context } from '@aws-appsync/utils';
import { scheduleView, type ScheduleView } from '../../src/domain/index.js';
import type { QueryScheduleArgs } from '../../src/generated/graphql.js';
import { callerOwner, settingsFrom } from '../lib/common.js';
import { scheduleTarget } from '../lib/key-lookup.js';
import type { ScheduleQueryStash } from '../lib/schedule-query-stash.js';

/** Checks that exactly one of id and key is given and prepares the reads. */
export function request(
  ctx: Context<QueryScheduleArgs, ScheduleQueryStash>,
): Record<string, never> {
  const owner = callerOwner(ctx.identity);
  const target = scheduleTarget(ctx.args, owner, settingsFrom(ctx.env).bucketWidthSeconds);
  ctx.stash.owner = owner;
  if (target.lookup) {
    ctx.stash.lookup = target.lookup;
  } else {
    ctx.stash.idKey = target.idKey;
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
