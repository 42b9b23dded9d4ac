/*
 * schedules step 1: one page of keys from the keys-only history index. The key condition pins
 * the caller's own partition, so a nextToken from someone else's page cannot widen the read.
 */
import { util, type Context, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import { HISTORY_INDEX, type ScheduleKey } from '../../src/domain/index.js';
import { failOnError } from '../lib/common.js';
import type { HistoryStash } from '../lib/history-stash.js';

/** Queries the caller's schedules due in [from, to], in the order asked for. */
export function request(ctx: Context<unknown, HistoryStash>): DynamoDBQueryRequest {
  const query = ctx.stash.query;
  const request: DynamoDBQueryRequest = {
    operation: 'Query',
    index: HISTORY_INDEX,
    query: {
      expression: '#owner = :owner AND sk BETWEEN :from AND :to',
      expressionNames: { '#owner': 'owner' },
      expressionValues: util.dynamodb.toMapValues({
        ':owner': ctx.stash.owner,
        ':from': query.range.fromKey,
        ':to': query.range.toKey,
      }),
    },
    limit: query.range.limit,
    scanIndexForward: query.order === 'ASC',
  };
  if (query.nextToken !== null) {
    request.nextToken = query.nextToken;
  }
  return request;
}

/** Keeps the page's keys and the token for the next page. */
export function response(ctx: Context<unknown, HistoryStash>): null {
  failOnError(ctx.error);
  const result = ctx.result as { items?: ScheduleKey[]; nextToken?: string | null };
  ctx.stash.keys = (result.items ?? []).map((item) => ({ pk: item.pk, sk: item.sk }));
  ctx.stash.nextToken = result.nextToken ?? null;
  return null;
}
