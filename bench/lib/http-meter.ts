import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, Server } from 'node:http';

/** Header the bench's own AWS clients send, so their calls are not billed to the scheduler. */
export const BENCH_CALLER_HEADER = 'x-bench-caller';

/** Counts of requests by label, e.g. "DynamoDB_20120810.PutItem" or "graphql (api key)". */
export type CallCounts = Record<string, number>;

/** Time to answer, by label: request count, total and longest milliseconds. */
export type CallTimings = Record<string, { count: number; totalMs: number; maxMs: number }>;

/** Counts the AWS calls made and the GraphQL requests served in this process, by API operation. */
export interface HttpMeter {
  /** A copy of the counts so far. */
  snapshot(): CallCounts;
  /** A copy of the answer times so far (client-observed for AWS calls, server-side for GraphQL). */
  timings(): CallTimings;
  /** Stops counting. */
  close(): void;
}

interface ServerRequestMessage {
  readonly request: IncomingMessage;
  readonly response: object;
  readonly server: Server;
}

/** Names an AWS call by its JSON-protocol target; undefined for the bench's own calls. */
export function labelAwsCall(header: (name: string) => unknown): string | undefined {
  if (header(BENCH_CALLER_HEADER) !== undefined) return undefined;
  const target = header('x-amz-target');
  return typeof target === 'string' ? target : undefined;
}

/** Names a GraphQL request by the caller's auth kind; undefined for anything else. */
export function labelGraphqlRequest(request: IncomingMessage): string | undefined {
  const path = (request.url ?? '').split('?')[0];
  if (request.method !== 'POST' || path !== '/graphql') return undefined;
  const authorization = request.headers.authorization ?? '';
  if (authorization.startsWith('AWS4-HMAC-SHA256')) return 'graphql (iam)';
  return request.headers['x-api-key'] === undefined ? 'graphql (jwt)' : 'graphql (api key)';
}

interface ClientRequestMessage {
  readonly request: ClientRequest;
}

/**
 * Counts, through Node's diagnostics channels: every AWS call this process makes (the stack's SDK
 * clients and the resolvers' HTTP data source; dynalite and fauxqs answer in their own threads,
 * where a server-side count cannot see them), and every GraphQL request the local endpoint
 * serves (the client's creates and the dispatcher's publishes). Each call is counted once.
 */
export function startHttpMeter(): HttpMeter {
  const counts: CallCounts = {};
  const timings: CallTimings = {};
  const started = new WeakMap<object, { label: string; atMs: number }>();
  const begin = (key: object, label: string | undefined) => {
    if (label === undefined) return;
    counts[label] = (counts[label] ?? 0) + 1;
    started.set(key, { label, atMs: performance.now() });
  };
  const finish = (key: object) => {
    const start = started.get(key);
    if (start === undefined) return;
    const elapsed = performance.now() - start.atMs;
    const timing = (timings[start.label] ??= { count: 0, totalMs: 0, maxMs: 0 });
    timing.count += 1;
    timing.totalMs += elapsed;
    timing.maxMs = Math.max(timing.maxMs, elapsed);
  };
  const channels: [string, (message: unknown) => void][] = [
    [
      'http.client.request.start',
      (message) => {
        const { request } = message as ClientRequestMessage;
        begin(
          request,
          labelAwsCall((name) => request.getHeader(name)),
        );
      },
    ],
    ['http.client.response.finish', (message) => finish((message as ClientRequestMessage).request)],
    [
      'http.server.request.start',
      (message) => {
        const { request, response } = message as ServerRequestMessage;
        begin(response, labelGraphqlRequest(request));
      },
    ],
    [
      'http.server.response.finish',
      (message) => finish((message as ServerRequestMessage).response),
    ],
  ];
  for (const [channel, listener] of channels) subscribe(channel, listener);
  return {
    snapshot: () => ({ ...counts }),
    timings: () => structuredClone(timings),
    close: () => {
      for (const [channel, listener] of channels) unsubscribe(channel, listener);
    },
  };
}

/** Counts in `after` minus those in `before`, dropping zeroes. */
export function diffCounts(before: CallCounts, after: CallCounts): CallCounts {
  const diff: CallCounts = {};
  for (const [label, value] of Object.entries(after)) {
    const delta = value - (before[label] ?? 0);
    if (delta !== 0) diff[label] = delta;
  }
  return diff;
}
