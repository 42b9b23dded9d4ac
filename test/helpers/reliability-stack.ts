import { ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createDynamoClient } from '../../src/aws/clients.js';

/** What a GraphQL POST came back with: the HTTP status and the parsed (or raw) body. */
export interface GraphqlReply {
  readonly status: number;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message?: string; errorType?: string }[];
  };
  readonly raw: string;
}

/** Headers authenticating as the API key or as a user token. */
export type Auth = { apiKey: string } | { token: string } | Record<string, string>;

function authHeaders(auth: Auth): Record<string, string> {
  if ('apiKey' in auth && typeof auth.apiKey === 'string') return { 'x-api-key': auth.apiKey };
  if ('token' in auth && typeof auth.token === 'string') return { authorization: auth.token };
  return auth as Record<string, string>;
}

/** POSTs a raw body to the endpoint; never throws on a GraphQL or HTTP error status. */
export async function postRaw(
  url: string,
  body: string,
  auth: Auth,
  extraHeaders: Record<string, string> = {},
): Promise<GraphqlReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(auth), ...extraHeaders },
    body,
  });
  const raw = await response.text();
  let parsed: GraphqlReply['body'];
  try {
    parsed = JSON.parse(raw) as GraphqlReply['body'];
  } catch {
    parsed = {};
  }
  return { status: response.status, body: parsed, raw };
}

/** POSTs one GraphQL request. */
export function postGraphql(
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  auth: Auth,
): Promise<GraphqlReply> {
  return postRaw(url, JSON.stringify({ query, variables }), auth);
}

/** The create mutation every suite uses. */
export const CREATE_SCHEDULE = `mutation Create($input: CreateScheduleInput!) {
  createSchedule(input: $input) { id owner dueAt status }
}`;

/** Every item of the table, unmarshalled. */
export async function scanTable(
  dynamoEndpoint: string,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  const client = createDynamoClient({ dynamoEndpoint });
  const items: Record<string, unknown>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start !== undefined);
  client.destroy();
  return items;
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Output-queue deliveries, counted per schedule id. */
export interface Deliveries {
  readonly counts: Map<string, number>;
  readonly bodies: Record<string, unknown>[];
}

/**
 * Receives and deletes messages from `queueUrl` until `done(deliveries)` holds or `timeoutMs`
 * passes; returns what arrived either way.
 */
export async function drainQueue(
  client: SQSClient,
  queueUrl: string,
  done: (deliveries: Deliveries) => boolean,
  timeoutMs: number,
): Promise<Deliveries> {
  const deliveries: Deliveries = { counts: new Map(), bodies: [] };
  const deadline = Date.now() + timeoutMs;
  const lane = async () => {
    while (!done(deliveries) && Date.now() < deadline) {
      const received = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      const messages: Message[] = received.Messages ?? [];
      if (messages.length === 0) continue;
      for (const message of messages) {
        const body = JSON.parse(message.Body ?? '{}') as Record<string, unknown>;
        const id = String(body['id']);
        deliveries.counts.set(id, (deliveries.counts.get(id) ?? 0) + 1);
        deliveries.bodies.push(body);
      }
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return deliveries;
}

/** Waits until `check()` is true, polling every `everyMs`; false when `timeoutMs` passes first. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 200,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return check();
}

/** What a burst of creates came back with. */
export interface BurstResult {
  /** Accepted schedule ids with their due time (epoch ms). */
  readonly accepted: Map<string, number>;
  /** Error answers, by errorType or HTTP status. */
  readonly failures: Map<string, number>;
  /** Creates that needed more than one attempt. */
  readonly retried: number;
  /** One error message per errorType, for failure reports. */
  readonly samples: Map<string, string>;
}

/**
 * Creates one schedule per due time, `concurrency` at a time, each with a client token so a
 * failed attempt can be retried (up to `attempts` times) without creating a second schedule.
 */
export async function createBurst(
  url: string,
  auth: Auth,
  dueTimes: readonly number[],
  options: {
    concurrency?: number;
    attempts?: number;
    tokenPrefix?: string;
    /** Moves each due time to at least this many ms after its create is sent. */
    minLeadMs?: number;
    /** Told the running count after each accepted create. */
    onAccepted?: (count: number) => void;
  } = {},
): Promise<BurstResult> {
  const result: BurstResult = {
    accepted: new Map(),
    failures: new Map(),
    retried: 0,
    samples: new Map(),
  };
  const prefix = options.tokenPrefix ?? `burst-${Date.now()}`;
  let retried = 0;
  await mapLimit(dueTimes, options.concurrency ?? 16, async (wantedMs, index) => {
    const dueAtMs =
      options.minLeadMs === undefined
        ? wantedMs
        : Math.max(wantedMs, Date.now() + options.minLeadMs);
    const input = {
      dueAt: new Date(dueAtMs).toISOString(),
      payload: JSON.stringify({ n: index }),
      clientToken: `${prefix}-${index}`,
    };
    for (let attempt = 1; attempt <= (options.attempts ?? 3); attempt += 1) {
      if (attempt > 1) retried += 1;
      const reply = await postGraphql(url, CREATE_SCHEDULE, { input }, auth).catch(
        (error: Error): GraphqlReply => ({
          status: 0,
          body: { errors: [{ errorType: error.message }] },
          raw: '',
        }),
      );
      const created = reply.body.data?.['createSchedule'] as { id: string } | undefined;
      if (created) {
        result.accepted.set(created.id, dueAtMs);
        options.onAccepted?.(result.accepted.size);
        return;
      }
      const kind = reply.body.errors?.[0]?.errorType ?? `HTTP ${reply.status}`;
      result.failures.set(kind, (result.failures.get(kind) ?? 0) + 1);
      if (!result.samples.has(kind))
        result.samples.set(kind, reply.body.errors?.[0]?.message ?? '');
    }
  });
  return { ...result, retried };
}

/** The p-th percentile (0–100) of `values`, 0 when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
