/*
 * onScheduleFired(id, key, label): an enhanced subscription filter on `owner` makes each
 * subscriber receive only the fired events of its own schedules; the optional arguments narrow
 * them to one id, one key or one label (the event's `labels` list contains it).
 */
import { extensions, util, type Context, type NONERequest } from '@aws-appsync/utils';
import { validateIdArgument, validateLabel, validateScheduleKey } from '../src/domain/index.js';
import type { SubscriptionOnScheduleFiredArgs } from '../src/generated/graphql.js';
import { callerOwner, valueOrFail } from './lib/common.js';

function given(value: string | null | undefined): value is string {
  return value !== undefined && value !== null;
}

/** Validates the arguments; a subscription only registers interest, so nothing is fetched. */
export function request(ctx: Context<SubscriptionOnScheduleFiredArgs>): NONERequest {
  const args = ctx.args;
  if (given(args.id)) valueOrFail(validateIdArgument('id', args.id));
  if (given(args.key)) valueOrFail(validateScheduleKey('key', args.key));
  if (given(args.label)) valueOrFail(validateLabel('label', args.label));
  return { payload: null };
}

/** Filters the events to the caller's owner and to the arguments given. */
export function response(ctx: Context<SubscriptionOnScheduleFiredArgs>): null {
  const args = ctx.args;
  const filter: Record<string, Record<string, string>> = {
    owner: { eq: callerOwner(ctx.identity) },
  };
  if (given(args.id)) filter['id'] = { eq: args.id };
  if (given(args.key)) filter['key'] = { eq: args.key };
  if (given(args.label)) filter['labels'] = { contains: args.label };
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
  return null;
}
