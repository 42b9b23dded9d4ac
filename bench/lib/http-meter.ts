import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Header the bench's own AWS clients send, so their calls are not billed to the scheduler. */
export const BENCH_CALLER_HEADER = 'x-bench-caller';

/** Counts of requests by label, e.g. "DynamoDB_20120810.PutItem" or "graphql (api key)". */
export type CallCounts = Record<string, number>;

/** Counts every HTTP request served in this process, by API operation. */
export interface HttpMeter {
  /** A copy of the counts so far. */
  snapshot(): CallCounts;
  /** Stops counting. */
  close(): void;
}

interface ServerRequestMessage {
  readonly request: IncomingMessage;
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
  const onRequest = (message: unknown) => {
    const { request } = message as ServerRequestMessage;
    const label = labelRequest(request);
    if (label !== undefined) counts[label] = (counts[label] ?? 0) + 1;
  };
  subscribe('http.server.request.start', onRequest);
  return {
    snapshot: () => ({ ...counts }),
    close: () => {
      unsubscribe('http.server.request.start', onRequest);
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
