import { keepAliveFetch } from '@precise-scheduler/appsync-local';

/** Where the local GraphQL API is and the API key to call it with. */
export interface ApiTarget {
  readonly graphqlUrl: string;
  readonly apiKey: string;
}

/** What createSchedule returned for one schedule. */
export interface CreatedSchedule {
  readonly id: string;
  readonly dueAt: string;
  readonly status: string;
}

/** The most `createSchedules` accepts in one call. */
export const BULK_LIMIT = 25;

const CREATE_SCHEDULE = `mutation CreateSchedule($input: CreateScheduleInput!) {
  createSchedule(input: $input) { id dueAt status }
}`;

const CREATE_SCHEDULES = `mutation CreateSchedules($inputs: [CreateScheduleInput!]!) {
  createSchedules(inputs: $inputs) { schedule { id dueAt status } error { errorType message } }
}`;

const RESCHEDULE_SCHEDULE = `mutation RescheduleSchedule($id: ID!, $dueAt: AWSDateTime!) {
  rescheduleSchedule(id: $id, dueAt: $dueAt) { id dueAt status }
}`;

/** A mutation the API refused, with the errorType it answered (or "HTTP <status>"). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphqlResponse {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; errorType?: string }[];
}

/**
 * Calls one mutation through the public GraphQL API over HTTP with the API key and returns its
 * field; throws with the GraphQL error (type and message) or the HTTP status when refused. It
 * goes over node:http with keep-alive (keepAliveFetch), not global fetch: the bench shares the
 * stack's process, and undici's per-request CPU was a sixth of a create run's profile.
 */
async function callMutation<T>(
  target: ApiTarget,
  field: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const response = await keepAliveFetch(target.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': target.apiKey },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: GraphqlResponse;
  try {
    body = JSON.parse(text) as GraphqlResponse;
  } catch {
    throw new ApiError(
      `${field} answered HTTP ${response.status} with non-JSON: ${text.slice(0, 200)}`,
      `HTTP ${response.status}`,
    );
  }
  const value = body.data?.[field];
  if (value === undefined || value === null || (body.errors?.length ?? 0) > 0) {
    const first = body.errors?.[0];
    const errorType = first?.errorType ?? 'no errorType';
    throw new ApiError(
      `${field} failed (HTTP ${response.status}): ${errorType}: ${first?.message ?? text.slice(0, 200)}`,
      errorType,
    );
  }
  return value as T;
}

/** Creates one schedule due at `dueAt` with `payload`; throws when it is refused. */
export function createSchedule(
  target: ApiTarget,
  dueAt: Date,
  payload: unknown,
): Promise<CreatedSchedule> {
  return callMutation(target, 'createSchedule', CREATE_SCHEDULE, {
    input: { dueAt: dueAt.toISOString(), payload: JSON.stringify(payload) },
  });
}

/** One schedule of a `createSchedules` call. */
export interface BulkInput {
  readonly dueAt: Date;
  readonly payload: unknown;
}

/**
 * Creates up to {@link BULK_LIMIT} schedules in one `createSchedules` request; returns them in
 * input order, and throws naming the first item that was refused (a bench run expects every one).
 */
export async function createSchedules(
  target: ApiTarget,
  inputs: readonly BulkInput[],
): Promise<CreatedSchedule[]> {
  const results = await callMutation<
    { schedule: CreatedSchedule | null; error: { errorType: string; message: string } | null }[]
  >(target, 'createSchedules', CREATE_SCHEDULES, {
    inputs: inputs.map((input) => ({
      dueAt: input.dueAt.toISOString(),
      payload: JSON.stringify(input.payload),
    })),
  });
  if (results.length !== inputs.length) {
    throw new Error(
      `createSchedules returned ${results.length} results for ${inputs.length} inputs`,
    );
  }
  return results.map((result, index) => {
    if (result.schedule !== null) return result.schedule;
    throw new Error(
      `createSchedules refused item ${index}: ${result.error?.errorType ?? 'no errorType'}: ${result.error?.message ?? 'no message'}`,
    );
  });
}

/** Moves schedule `id` to `dueAt` through `rescheduleSchedule`; returns the new schedule. */
export function rescheduleSchedule(
  target: ApiTarget,
  id: string,
  dueAt: Date,
): Promise<CreatedSchedule> {
  return callMutation(target, 'rescheduleSchedule', RESCHEDULE_SCHEDULE, {
    id,
    dueAt: dueAt.toISOString(),
  });
}

/**
 * Splits `count` indexes into consecutive chunks of at most `size`: the index ranges of the bulk
 * requests that create them.
 */
export function chunkRanges(count: number, size = BULK_LIMIT): { start: number; end: number }[] {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`chunk size must be a positive integer; received ${size}`);
  }
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < count; start += size) {
    ranges.push({ start, end: Math.min(count, start + size) });
  }
  return ranges;
}
