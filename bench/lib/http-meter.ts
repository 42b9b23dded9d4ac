import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Header the bench's own AWS clients send, so their calls are not billed to the scheduler. */
export const BENCH_CALLER_HEADER = 'x-bench-caller';

/** Counts of requests by label, e.g. "DynamoDB_20120810.PutItem" or "graphql (api key)". */
export type CallCounts = Record<string, number>;

/** Server-side time to answer, by label: request count and total milliseconds. */
export type CallTimings = Record<string, { count: number; totalMs: number; maxMs: number }>;

/** Counts every HTTP request served in this process, by API operation. */
export interface HttpMeter {
  /** A copy of the counts so far. */
  snapshot(): CallCounts;
  /** A copy of the server-side answer times so far. */
  timings(): CallTimings;
  /** Stops counting. */
  close(): void;
}

interface ServerRequestMessage {
  readonly request: IncomingMessage;
  readonly response: object;
  readonly server: Server;
}

/** Names the API operation of a request: the AWS JSON-protocol target, or the GraphQL auth kind. */
export function labelRequest(request: IncomingMessage): string | undefined {
  if (request.headers[BENCH_CALLER_HEADER] !== undefined) return undefined;
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target;
  const path = (request.url ?? '').split('?')[0];
  if (request.method === 'POST' && path === '/graphql') {
    const authorization = request.headers.authorization ?? '';
    if (authorization.startsWith('AWS4-HMAC-SHA256')) return 'graphql (iam)';
    return request.headers['x-api-key'] === undefined ? 'graphql (jwt)' : 'graphql (api key)';
  }
  if (request.method === 'POST' && path === '/') return 'aws (query protocol)';
  return undefined;
}

/**
 * Counts the requests every HTTP server of this process receives (dynalite, fauxqs, the local
 * GraphQL endpoint) through Node's `http.server.request.start` diagnostics channel, so calls are
 * counted whichever client made them: SDK clients, signed fetches or the bench itself.
 */
export function startHttpMeter(): HttpMeter {
  const counts: CallCounts = {};
  const timings: CallTimings = {};
  const started = new WeakMap<object, { label: string; atMs: number }>();
  const onRequest = (message: unknown) => {
    const { request, response } = message as ServerRequestMessage;
    const label = labelRequest(request);
    if (label === undefined) return;
    counts[label] = (counts[label] ?? 0) + 1;
    started.set(response, { label, atMs: performance.now() });
  };
  const onFinish = (message: unknown) => {
    const start = started.get((message as ServerRequestMessage).response);
    if (start === undefined) return;
    const elapsed = performance.now() - start.atMs;
    const timing = (timings[start.label] ??= { count: 0, totalMs: 0, maxMs: 0 });
    timing.count += 1;
    timing.totalMs += elapsed;
    timing.maxMs = Math.max(timing.maxMs, elapsed);
  };
  subscribe('http.server.request.start', onRequest);
  subscribe('http.server.response.finish', onFinish);
  return {
    snapshot: () => ({ ...counts }),
    timings: () => structuredClone(timings),
    close: () => {
      unsubscribe('http.server.request.start', onRequest);
      unsubscribe('http.server.response.finish', onFinish);
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

/** The port a server listens on, or undefined when it is not listening on TCP. */
export function portOf(server: Server): number | undefined {
  const address = server.address();
  return address !== null && typeof address === 'object'
    ? (address as AddressInfo).port
    : undefined;
}
