/*
 * schedules(filter, limit, nextToken, order): the caller's schedules in every state, from the
 * keys-only history index, then a batch read of the page's items, then the status and label
 * filter. A page may hold fewer than `limit` items while more follow.
 */
import type { Context } from '@aws-appsync/utils';
import {
  keepInHistory,
  scheduleView,
  validateHistoryArguments,
  type ScheduleItem,
  type ScheduleView,
} from '../../src/domain/index.js';
import type { QuerySchedulesArgs } from '../../src/generated/graphql.js';
import { callerOwner, valueOrFail } from '../lib/common.js';
import type { HistoryStash } from '../lib/history-stash.js';

/** Validates the arguments; every error names the field and the value received. */
export function request(ctx: Context<QuerySchedulesArgs, HistoryStash>): Record<string, never> {
  const args = ctx.args;
  ctx.stash.query = valueOrFail(
    validateHistoryArguments({
      filter: args.filter ?? null,
      limit: args.limit ?? null,
      nextToken: args.nextToken ?? null,
      order: args.order ?? null,
    }),
  );
  ctx.stash.owner = callerOwner(ctx.identity);
  return {};
}

/** The page's items that pass the filter, in index order, and the token for the next page. */
export function response(ctx: Context<QuerySchedulesArgs, HistoryStash>): {
  items: ScheduleView[];
  nextToken: string | null;
} {
  const stash = ctx.stash;
  const items: ScheduleView[] = [];
  for (const key of stash.keys) {
    const item: ScheduleItem | undefined = (stash.found ?? {})[key.sk];
    if (item !== undefined && keepInHistory(item, stash.owner, stash.query)) {
      items.push(scheduleView(item));
    }
  }
  return { items, nextToken: stash.nextToken };
}
