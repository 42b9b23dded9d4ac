import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  CancelScheduleDocument,
  CreateScheduleDocument,
  GetScheduleDocument,
  OnScheduleFiredDocument,
  PendingSchedulesDocument,
  type FiredEventFieldsFragment,
  type PendingSchedulesQuery,
  type ScheduleFieldsFragment,
} from '../generated/operations.js';
import { authHeaders, type ClientAuth } from './auth.js';
import { SchedulerHttpError, SchedulerError, type GraphqlErrorBody } from './errors.js';
import { subscribeRealtime, type Subscription } from './realtime.js';

export type { ClientAuth } from './auth.js';
export { SchedulerConnectionError, SchedulerError, SchedulerHttpError } from './errors.js';
export { realtimeUrlFor, type Subscription } from './realtime.js';
export type Schedule = ScheduleFieldsFragment;
export type ScheduleFiredEvent = FiredEventFieldsFragment;

/** Where the API is and how to call it. */
export interface SchedulerClientOptions {
  /** The GraphQL URL: `https://<id>.appsync-api.<region>.amazonaws.com/graphql` or `http://localhost:4000/graphql`. */
  readonly endpoint: string;
  readonly auth: ClientAuth;
  /** @default derived from `endpoint` as Amplify does */
  readonly realtimeEndpoint?: string;
}

/** What to schedule: give `dueAt` or `delaySeconds`; `payload` is any JSON value. */
export interface CreateScheduleRequest {
  readonly dueAt?: Date | string;
  readonly delaySeconds?: number;
  readonly payload: unknown;
  readonly clientToken?: string;
}

/** Filters for listing pending schedules. */
export interface PendingQuery {
  readonly from?: Date | string;
  readonly to?: Date | string;
  /** Items per request. @default 50 */
  readonly pageSize?: number;
}

/** A typed client of the scheduler's GraphQL API. */
export interface SchedulerClient {
  create(request: CreateScheduleRequest): Promise<Schedule>;
  cancel(id: string): Promise<Schedule>;
  get(id: string): Promise<Schedule | null>;
  /** Iterates every pending schedule in due order, fetching pages as needed. */
  pending(query?: PendingQuery): AsyncIterable<Schedule>;
  /** Resolves once the subscription is live; then yields each of the caller's fired schedules. */
  watch(): Promise<Subscription<ScheduleFiredEvent>>;
}

function isoOf(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value;
}

/** Creates a client for the API at `options.endpoint`. */
export function createSchedulerClient(options: SchedulerClientOptions): SchedulerClient {
  const url = new URL(options.endpoint);

  async function request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    const body = JSON.stringify({ query: print(document), variables });
    const headers = await authHeaders(options.auth, url, body);
    // IAM signs its own content-type; the other modes need one added.
    const hasContentType = Object.keys(headers).some(
      (name) => name.toLowerCase() === 'content-type',
    );
    const response = await fetch(url, {
      method: 'POST',
      headers: hasContentType ? headers : { ...headers, 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    let parsed: { data?: TResult | null; errors?: GraphqlErrorBody[] } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new SchedulerHttpError(response.status, [
        {
          message: `Unreadable response: ${text.slice(0, 200)}`,
          errorType: `Http${response.status}`,
        },
      ]);
    }
    if (!response.ok) throw new SchedulerHttpError(response.status, parsed.errors ?? []);
    if (parsed.errors !== undefined && parsed.errors.length > 0)
      throw new SchedulerError(parsed.errors);
    if (parsed.data === undefined || parsed.data === null)
      throw new SchedulerError([
        { message: 'The response had no data', errorType: 'EmptyResponse' },
      ]);
    return parsed.data;
  }

  return {
    create: async (input) => {
      const dueAt = isoOf(input.dueAt);
      const result = await request(CreateScheduleDocument, {
        input: {
          payload: JSON.stringify(input.payload),
          ...(dueAt === undefined ? {} : { dueAt }),
          ...(input.delaySeconds === undefined ? {} : { delaySeconds: input.delaySeconds }),
          ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken }),
        },
      });
      return result.createSchedule;
    },
    cancel: async (id) => (await request(CancelScheduleDocument, { id })).cancelSchedule,
    get: async (id) => (await request(GetScheduleDocument, { id })).schedule,
    pending: (query = {}) => ({
      async *[Symbol.asyncIterator]() {
        let nextToken: string | null = null;
        do {
          const page: PendingSchedulesQuery['pendingSchedules'] = (
            await request(PendingSchedulesDocument, {
              from: isoOf(query.from) ?? null,
              to: isoOf(query.to) ?? null,
              limit: query.pageSize ?? 50,
              nextToken,
            })
          ).pendingSchedules;
          yield* page.items;
          nextToken = page.nextToken;
        } while (nextToken !== null);
      },
    }),
    watch: () =>
      subscribeRealtime({
        graphqlUrl: options.endpoint,
        ...(options.realtimeEndpoint === undefined
          ? {}
          : { realtimeUrl: options.realtimeEndpoint }),
        auth: options.auth,
        query: print(OnScheduleFiredDocument),
        pick: (data) => {
          const event = (data as { onScheduleFired?: ScheduleFiredEvent | null } | undefined)
            ?.onScheduleFired;
          if (event === undefined || event === null)
            throw new SchedulerError([
              { message: 'A fired event had no data', errorType: 'EmptyEvent' },
            ]);
          return event;
        },
      }),
  };
}
