import { print } from 'graphql';
import {
  CancelScheduleDocument,
  CancelSchedulesDocument,
  CreateScheduleDocument,
  CreateSchedulesDocument,
  GetScheduleDocument,
  OnScheduleFiredDocument,
  PendingSchedulesDocument,
  RescheduleScheduleDocument,
  SchedulesDocument,
  type ConflictPolicy,
  type CreateScheduleInput,
  type DeliveryChannel,
  type FiredEventFieldsFragment,
  type ItemErrorFieldsFragment,
  type PendingSchedulesQuery,
  type ScheduleFieldsFragment,
  type ScheduleStatus,
  type SortOrder,
} from '../generated/operations.js';
import type { ClientAuth } from './auth.js';
import { runInChunks, type BulkOptions, type ItemError, type ItemResult } from './bulk.js';
import { SchedulerError } from './errors.js';
import { subscribeRealtime, type Subscription } from './realtime.js';
import { graphqlTransport } from './transport.js';
import { watchWithHandler, type WatchHandle } from './watch.js';

export type { ClientAuth } from './auth.js';
export type { BulkOptions, BulkProgress, ItemError, ItemResult } from './bulk.js';
export { SchedulerConnectionError, SchedulerError, SchedulerHttpError } from './errors.js';
export { realtimeUrlFor, type Subscription } from './realtime.js';
export type { WatchHandle } from './watch.js';
export type { ConflictPolicy, DeliveryChannel, ScheduleStatus, SortOrder };
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
  /** Your own handle, unique among your live schedules; it survives a reschedule. */
  readonly key?: string;
  /** What to do when a live schedule already holds `key`. @default 'REJECT' */
  readonly onConflict?: ConflictPolicy;
  readonly labels?: readonly string[];
  /** @default both channels */
  readonly deliver?: readonly DeliveryChannel[];
}

/** Which schedule to move (`id` or `key`) and its new due time (`dueAt` or `delaySeconds`). */
export interface RescheduleRequest {
  readonly id?: string;
  readonly key?: string;
  readonly dueAt?: Date | string;
  readonly delaySeconds?: number;
}

/** Filters for listing pending schedules. */
export interface PendingQuery {
  readonly from?: Date | string;
  readonly to?: Date | string;
  /** Items per request. @default 50 */
  readonly pageSize?: number;
}

/** Which schedules `list` returns; every field narrows the list. */
export interface ListFilter {
  readonly status?: ScheduleStatus | readonly ScheduleStatus[];
  readonly label?: string;
  readonly from?: Date | string;
  readonly to?: Date | string;
}

/** One page request of `list`. */
export interface ListPageOptions {
  /** @default the server's default page size */
  readonly limit?: number;
  readonly nextToken?: string | null;
  /** @default 'ASC' */
  readonly order?: SortOrder;
}

/** One page of schedules; read on with `nextToken` while it is not null. */
export interface SchedulePage {
  readonly items: readonly Schedule[];
  readonly nextToken: string | null;
}

/** Narrows `watch` to one id, one key and/or one label (all given must match). */
export interface WatchFilter {
  readonly id?: string;
  readonly key?: string;
  readonly label?: string;
}

/** Receives each fired schedule of a `watch`; a thrown error ends the watch. */
export type WatchHandler = (event: ScheduleFiredEvent) => void | Promise<void>;

/** One id's outcome in `cancelMany`. */
export type CancelManyResult = ItemResult<Schedule> & { readonly id: string };

/** A typed client of the scheduler's GraphQL API. */
export interface SchedulerClient {
  create(request: CreateScheduleRequest): Promise<Schedule>;
  cancel(id: string): Promise<Schedule>;
  /** Cancels the live schedule holding `key`. */
  cancelByKey(key: string): Promise<Schedule>;
  get(id: string): Promise<Schedule | null>;
  /** The live schedule holding `key`, else the last one that held it, else null. */
  getByKey(key: string): Promise<Schedule | null>;
  /** Moves a schedule to a new due time; the result has a new id (the key stays). */
  reschedule(request: RescheduleRequest): Promise<Schedule>;
  /** Iterates every pending schedule in due order, fetching pages as needed. */
  pending(query?: PendingQuery): AsyncIterable<Schedule>;
  /** One page of schedules in every state (a page may be short while more follow). */
  list(filter?: ListFilter, options?: ListPageOptions): Promise<SchedulePage>;
  /** Iterates every schedule matching `filter`, fetching pages until the last. */
  listAll(
    filter?: ListFilter,
    options?: Omit<ListPageOptions, 'nextToken'>,
  ): AsyncIterable<Schedule>;
  /**
   * Creates many schedules through `createSchedules`, 25 per request by default; one result
   * per input, in input order. A request that fails as a whole becomes an error per item of it.
   */
  createMany(
    requests: readonly CreateScheduleRequest[],
    options?: BulkOptions,
  ): Promise<ItemResult<Schedule>[]>;
  /** Cancels many schedules through `cancelSchedules`, as `createMany` does. */
  cancelMany(ids: readonly string[], options?: BulkOptions): Promise<CancelManyResult[]>;
  /** Resolves once the subscription is live; then yields each of the caller's fired schedules. */
  watch(filter?: WatchFilter): Promise<Subscription<ScheduleFiredEvent>>;
  /** Resolves once the subscription is live; `handler` then gets each fired schedule. */
  watch(filter: WatchFilter, handler: WatchHandler): Promise<WatchHandle>;
}

function isoOf(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value;
}

/** Only the fields that are set, so absent arguments stay absent rather than null. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** The GraphQL input for a request: the payload serialized as AWSJSON. */
export function toCreateInput(request: CreateScheduleRequest): CreateScheduleInput {
  return {
    payload: JSON.stringify(request.payload),
    ...defined({
      dueAt: isoOf(request.dueAt),
      delaySeconds: request.delaySeconds,
      clientToken: request.clientToken,
      key: request.key,
      onConflict: request.onConflict,
      labels: request.labels === undefined ? undefined : [...request.labels],
      deliver: request.deliver === undefined ? undefined : [...request.deliver],
    }),
  };
}

function itemResult(result: {
  schedule: Schedule | null;
  error: ItemErrorFieldsFragment | null;
}): ItemResult<Schedule> {
  if (result.schedule !== null) return { ok: true, schedule: result.schedule };
  return {
    ok: false,
    error: result.error ?? { errorType: 'EmptyResult', message: 'Neither schedule nor error' },
  };
}

/** Creates a client for the API at `options.endpoint`. */
export function createSchedulerClient(options: SchedulerClientOptions): SchedulerClient {
  const request = graphqlTransport(options.endpoint, options.auth);

  const list = async (filter: ListFilter = {}, page: ListPageOptions = {}) => {
    const status = filter.status === undefined ? undefined : [filter.status].flat();
    const result = await request(SchedulesDocument, {
      filter: defined({
        status,
        label: filter.label,
        from: isoOf(filter.from),
        to: isoOf(filter.to),
      }),
      ...defined({ limit: page.limit, nextToken: page.nextToken ?? undefined, order: page.order }),
    });
    return result.schedules;
  };

  const subscribe = (filter: WatchFilter) =>
    subscribeRealtime({
      graphqlUrl: options.endpoint,
      ...(options.realtimeEndpoint === undefined ? {} : { realtimeUrl: options.realtimeEndpoint }),
      auth: options.auth,
      query: print(OnScheduleFiredDocument),
      variables: defined({ id: filter.id, key: filter.key, label: filter.label }),
      pick: (data) => {
        const event = (data as { onScheduleFired?: ScheduleFiredEvent | null } | undefined)
          ?.onScheduleFired;
        if (event === undefined || event === null)
          throw new SchedulerError([
            { message: 'A fired event had no data', errorType: 'EmptyEvent' },
          ]);
        return event;
      },
    });

  function watch(filter?: WatchFilter): Promise<Subscription<ScheduleFiredEvent>>;
  function watch(filter: WatchFilter, handler: WatchHandler): Promise<WatchHandle>;
  async function watch(filter: WatchFilter = {}, handler?: WatchHandler) {
    const subscription = await subscribe(filter);
    return handler === undefined ? subscription : watchWithHandler(subscription, handler);
  }

  return {
    create: async (input) =>
      (await request(CreateScheduleDocument, { input: toCreateInput(input) })).createSchedule,
    cancel: async (id) => (await request(CancelScheduleDocument, { id })).cancelSchedule,
    cancelByKey: async (key) => (await request(CancelScheduleDocument, { key })).cancelSchedule,
    get: async (id) => (await request(GetScheduleDocument, { id })).schedule,
    getByKey: async (key) => (await request(GetScheduleDocument, { key })).schedule,
    reschedule: async (move) =>
      (
        await request(
          RescheduleScheduleDocument,
          defined({
            id: move.id,
            key: move.key,
            dueAt: isoOf(move.dueAt),
            delaySeconds: move.delaySeconds,
          }),
        )
      ).rescheduleSchedule,
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
    list,
    listAll: (filter = {}, page = {}) => ({
      async *[Symbol.asyncIterator]() {
        let nextToken: string | null = null;
        do {
          const result: SchedulePage = await list(filter, { ...page, nextToken });
          yield* result.items;
          nextToken = result.nextToken;
        } while (nextToken !== null);
      },
    }),
    createMany: (requests, bulk = {}) =>
      runInChunks(
        requests,
        bulk,
        async (chunk) =>
          (
            await request(CreateSchedulesDocument, { inputs: chunk.map(toCreateInput) })
          ).createSchedules.map(itemResult),
        (_request, error: ItemError) => ({ ok: false, error }),
      ),
    cancelMany: (ids, bulk = {}) =>
      runInChunks(
        ids,
        bulk,
        async (chunk) =>
          (await request(CancelSchedulesDocument, { ids: [...chunk] })).cancelSchedules.map(
            (result) => ({ ...itemResult(result), id: result.id }),
          ),
        (id, error: ItemError) => ({ ok: false, error, id }),
      ),
    watch,
  };
}
