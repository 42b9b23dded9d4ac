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

const CREATE_SCHEDULE = `mutation CreateSchedule($input: CreateScheduleInput!) {
  createSchedule(input: $input) { id dueAt status }
}`;

interface GraphqlResponse {
  readonly data?: { createSchedule?: CreatedSchedule } | null;
  readonly errors?: readonly { message: string; errorType?: string }[];
}

/**
 * Creates one schedule through the public GraphQL API over HTTP with the API key; throws with
 * the GraphQL error (type and message) or the HTTP status when it is refused. It goes over
 * node:http with keep-alive (keepAliveFetch), not global fetch: the bench shares the stack's
 * process, and undici's per-request CPU was a sixth of a create run's profile.
 */
export async function createSchedule(
  target: ApiTarget,
  dueAt: Date,
  payload: unknown,
): Promise<CreatedSchedule> {
  const response = await keepAliveFetch(target.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': target.apiKey },
    body: JSON.stringify({
      query: CREATE_SCHEDULE,
      variables: { input: { dueAt: dueAt.toISOString(), payload: JSON.stringify(payload) } },
    }),
  });
  const text = await response.text();
  let body: GraphqlResponse;
  try {
    body = JSON.parse(text) as GraphqlResponse;
  } catch {
    throw new Error(
      `createSchedule answered HTTP ${response.status} with non-JSON: ${text.slice(0, 200)}`,
    );
  }
  const created = body.data?.createSchedule;
  if (created === undefined || (body.errors?.length ?? 0) > 0) {
    const first = body.errors?.[0];
    throw new Error(
      `createSchedule failed (HTTP ${response.status}): ${first?.errorType ?? 'no errorType'}: ${first?.message ?? text.slice(0, 200)}`,
    );
  }
  return created;
}
