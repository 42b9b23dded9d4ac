/*
 * pendingSchedules: one page of the caller's live schedules from the sparse owner index, in
 * due order. The key condition pins the caller's own partition of the index, so a nextToken
 * taken from someone else's page cannot widen the read.
 */
import { util, type Context, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import {
  OWNER_INDEX,
  scheduleView,
  validatePageArguments,
  type ScheduleItem,
  type ScheduleView,
} from '../src/domain/index.js';
import type { QueryPendingSchedulesArgs } from '../src/generated/graphql.js';
import { callerOwner, failOnError, valueOrFail } from './lib/common.js';

/** Queries the owner index between `from` and `to` (defaults: the epoch and year 9999). */
export function request(ctx: Context<QueryPendingSchedulesArgs>): DynamoDBQueryRequest {
  const args = ctx.args;
  const range = valueOrFail(
    validatePageArguments({
      fromMs: args.from ? util.time.parseISO8601ToEpochMilliSeconds(args.from) : null,
      toMs: args.to ? util.time.parseISO8601ToEpochMilliSeconds(args.to) : null,
      limit: args.limit ?? null,
    }),
  );
  const query: DynamoDBQueryRequest = {
    operation: 'Query',
    index: OWNER_INDEX,
    query: {
      expression: 'pendingOwner = :owner AND sk BETWEEN :from AND :to',
      expressionValues: util.dynamodb.toMapValues({
        ':owner': callerOwner(ctx.identity),
        ':from': range.fromKey,
        ':to': range.toKey,
      }),
    },
    limit: range.limit,
    scanIndexForward: true,
  };
  if (args.nextToken) {
    query.nextToken = args.nextToken;
  }
  return query;
}

/** The page's items and the opaque token for the next one (null on the last page). */
export function response(ctx: Context<QueryPendingSchedulesArgs>): {
  items: ScheduleView[];
  nextToken: string | null;
} {
  failOnError(ctx.error);
  const result = ctx.result as { items?: ScheduleItem[]; nextToken?: string | null };
  return { items: (result.items ?? []).map(scheduleView), nextToken: result.nextToken ?? null };
}
