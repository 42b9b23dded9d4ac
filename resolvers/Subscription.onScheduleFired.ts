/*
 * onScheduleFired: an enhanced subscription filter on `owner` makes each subscriber receive
 * only the fired events of its own schedules.
 */
import { extensions, util, type Context, type NONERequest } from '@aws-appsync/utils';
import { callerOwner } from './lib/common.js';

/** Nothing to fetch: a subscription only registers interest. */
export function request(_ctx: Context): NONERequest {
  return { payload: null };
}

/** Filters the events to the caller's owner. */
export function response(ctx: Context): null {
  extensions.setSubscriptionFilter(
    util.transform.toSubscriptionFilter({ owner: { eq: callerOwner(ctx.identity) } }),
  );
  return null;
}
