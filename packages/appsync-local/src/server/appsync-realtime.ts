import type { IncomingMessage } from 'node:http';
import type { ExecutionResult } from 'graphql';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Caller, GraphqlRequest, LocalGraphqlEngine } from '../contract.js';
import {
  UnauthorizedError,
  authenticate,
  normalizeHeaders,
  type AuthConfig,
} from '../auth/authenticate.js';
import { toAppSyncError, toAppSyncResult } from './appsync-errors.js';
import {
  LIMIT_EXCEEDED_ERROR_TYPE,
  MessageRate,
  isFlooded,
  type ConnectionLimits,
} from './connection-limits.js';
import type { RequestLimiter } from './limits.js';
import {
  isProblem,
  operationId,
  readFrame,
  readStartPayload,
  type FrameProblem,
  type RealtimeFrame,
  type StartPayload,
} from './realtime-frames.js';

/** The subprotocol AppSync's real-time endpoint speaks (not the graphql-ws library's). */
export const APPSYNC_REALTIME_PROTOCOL = 'graphql-ws';

/** How long a connection may stay silent before the client gives up, as AppSync announces. */
const CONNECTION_TIMEOUT_MS = 300_000;

/** What the real-time endpoint needs. */
export interface RealtimeDeps {
  readonly engine: LocalGraphqlEngine;
  readonly auth: AuthConfig;
  /** Interval of `ka` messages. */
  readonly keepAliveMs: number;
  /** Checks each start's request (types, document, variables) before the engine sees it. */
  readonly limiter: RequestLimiter;
  readonly connectionLimits: ConnectionLimits;
}

type Subscription = AsyncIterableIterator<ExecutionResult>;

/** One operation of a connection; `subscription` is unset while it is still starting. */
interface Operation {
  subscription?: Subscription;
}

/** What a client learns when the server itself failed: never the internal text. */
const INTERNAL_FAILURE = 'The message could not be handled inside the server';

function decodeAuthJson(encoded: string): Record<string, string> {
  try {
    return stringHeaders(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
  } catch (error) {
    throw new UnauthorizedError('The connection auth header is not base64-encoded JSON', {
      cause: error,
    });
  }
}

function stringHeaders(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return headers;
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string') headers[name.toLowerCase()] = item;
  }
  return headers;
}

/** The auth JSON of a connection: the `header-<base64url>` subprotocol or the `header` query. */
export function connectionAuthHeaders(request: IncomingMessage): Record<string, string> {
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',');
  const fromProtocol = protocols.map((p) => p.trim()).find((p) => p.startsWith('header-'));
  if (fromProtocol !== undefined) return decodeAuthJson(fromProtocol.slice('header-'.length));
  const fromQuery = new URL(request.url ?? '/', 'http://local').searchParams.get('header');
  return fromQuery === null ? {} : decodeAuthJson(fromQuery);
}

function errorPayload(errorType: string, message: string, errorCode?: number) {
  return { errors: [{ errorType, message, ...(errorCode === undefined ? {} : { errorCode }) }] };
}

class RealtimeConnection {
  private readonly operations = new Map<string, Operation>();
  private readonly rate: MessageRate;
  private initialised = false;
  private closed = false;
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly request: IncomingMessage,
    private readonly deps: RealtimeDeps,
    private readonly connectionCaller: Promise<Caller>,
  ) {
    this.rate = new MessageRate(deps.connectionLimits.maxMessagesPerSecond);
    connectionCaller.catch(() => undefined);
    socket.on('message', (data) => this.onFrame(String(data)));
    socket.on('close', () => this.close());
    // A broken frame or reset must end this connection only, never the process.
    socket.on('error', () => socket.terminate());
  }

  private send(message: unknown): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    // A client that sends without reading gets dropped, not an unbounded buffer.
    if (isFlooded(this.socket, this.deps.connectionLimits)) this.socket.terminate();
    else this.socket.send(JSON.stringify(message));
  }

  private sendError(id: string | number | undefined, errorType: string, message: string): void {
    this.send({
      type: 'error',
      ...(id === undefined ? {} : { id }),
      payload: errorPayload(errorType, message),
    });
  }

  private refuse(refusal: FrameProblem): void {
    this.sendError(refusal.id, refusal.errorType, refusal.message);
  }

  /** Counts the frame, reads it, and hands it on; nothing here waits, so order is kept. */
  private onFrame(text: string): void {
    const withinRate = this.rate.take();
    const frame = readFrame(text, this.deps.connectionLimits.maxIdLength);
    if (isProblem(frame)) return this.refuse(frame);
    const id = operationId(frame, this.deps.connectionLimits.maxIdLength);
    if (!withinRate) {
      return this.sendError(
        isProblem(id) ? id.id : id,
        LIMIT_EXCEEDED_ERROR_TYPE,
        this.rate.refusal(),
      );
    }
    if (frame.type === 'connection_init') return void this.guard(this.onInit(), undefined);
    if (isProblem(id)) return this.refuse(id);
    if (frame.type === 'start') return void this.guard(this.onStart(id, frame), id);
    return void this.guard(this.stop(id), id);
  }

  private async guard(work: Promise<void>, id: string | undefined): Promise<void> {
    try {
      await work;
    } catch (error) {
      console.error('AppSync real-time message failed:', error);
      this.sendError(id, 'InternalFailure', INTERNAL_FAILURE);
    }
  }

  private async onInit(): Promise<void> {
    if (this.initialised) {
      // graphql-ws's rule (close 4429); AppSync documents no behaviour for a repeated init.
      const message = 'connection_init was already received on this connection; received it again';
      this.send({ type: 'connection_error', payload: errorPayload('ProtocolError', message) });
      this.socket.close(4429, 'Too many initialisation requests');
      return;
    }
    // Set before waiting, so a burst of inits cannot all pass this point.
    this.initialised = true;
    try {
      await this.connectionCaller;
    } catch (error) {
      const message = (error as Error).message;
      this.send({
        type: 'connection_error',
        payload: errorPayload('UnauthorizedException', message, 401),
      });
      this.socket.close(1000, 'unauthorized');
      return;
    }
    if (this.closed) return;
    this.send({ type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
    this.send({ type: 'ka' });
    this.keepAlive = setInterval(() => this.send({ type: 'ka' }), this.deps.keepAliveMs);
  }

  private async authenticateStart(
    authorization: Readonly<Record<string, unknown>> | undefined,
    body: string,
  ): Promise<Caller> {
    if (authorization === undefined) return this.connectionCaller;
    const request = {
      method: 'POST',
      url: '/graphql',
      headers: stringHeaders(authorization),
      body,
    };
    return authenticate(request, this.deps.auth, this.request.socket.remoteAddress ?? '127.0.0.1');
  }

  private async onStart(id: string, frame: RealtimeFrame): Promise<void> {
    const { maxSubscriptions } = this.deps.connectionLimits;
    if (this.operations.has(id)) {
      return this.sendError(
        id,
        'DuplicatedOperationError',
        `subscription id "${id}" is already in use`,
      );
    }
    if (this.operations.size >= maxSubscriptions) {
      const message = `Subscriptions per connection exceed the limit of ${maxSubscriptions}; received a start for "${id}" while ${this.operations.size} are active`;
      return this.sendError(id, LIMIT_EXCEEDED_ERROR_TYPE, message);
    }
    const payload = readStartPayload(frame.payload, id);
    if (isProblem(payload)) return this.refuse(payload);
    const verdict = this.deps.limiter.check(payload.request);
    if (verdict.errors !== undefined) {
      return this.send({
        type: 'error',
        id,
        payload: { errors: verdict.errors.map(toAppSyncError) },
      });
    }
    // Reserved before waiting: the cap and duplicate checks see starts still under way.
    const operation: Operation = {};
    this.operations.set(id, operation);
    try {
      await this.subscribe(id, operation, payload, verdict.request);
    } finally {
      if (operation.subscription === undefined && this.operations.get(id) === operation) {
        this.operations.delete(id);
      }
    }
  }

  private async subscribe(
    id: string,
    operation: Operation,
    payload: StartPayload,
    request: GraphqlRequest,
  ): Promise<void> {
    let caller: Caller;
    try {
      caller = await this.authenticateStart(payload.authorization, payload.data);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      return this.sendError(id, error.errorType, error.message);
    }
    const outcome = await this.deps.engine.subscribe(request, caller);
    if (!(Symbol.asyncIterator in outcome)) {
      const errors = (outcome.errors ?? []).map(toAppSyncError);
      return this.send({ type: 'error', id, payload: { errors } });
    }
    if (this.closed || this.operations.get(id) !== operation) {
      // Stopped (or the connection closed) while it was starting.
      await outcome.return?.();
      return;
    }
    operation.subscription = outcome;
    this.send({ type: 'start_ack', id });
    void this.forward(id, operation, outcome);
  }

  private async forward(id: string, operation: Operation, subscription: Subscription) {
    try {
      for await (const result of subscription) {
        this.send({ type: 'data', id, payload: toAppSyncResult(result) });
      }
    } catch (error) {
      console.error(`AppSync real-time subscription ${id} failed:`, error);
      this.sendError(id, 'InternalFailure', INTERNAL_FAILURE);
    } finally {
      if (this.operations.get(id) === operation) this.operations.delete(id);
    }
  }

  /** Ends an operation; an id that is not (or no longer) active is answered all the same. */
  private async stop(id: string): Promise<void> {
    const operation = this.operations.get(id);
    this.operations.delete(id);
    await operation?.subscription?.return?.();
    this.send({ type: 'complete', id });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.keepAlive);
    for (const operation of this.operations.values()) void operation.subscription?.return?.();
    this.operations.clear();
  }
}

/**
 * Serves AppSync's real-time protocol on `wss` (the server must select the `graphql-ws`
 * subprotocol): connection auth from the header subprotocol or query, per-start auth from
 * `extensions.authorization`, and `ka` keep-alives.
 */
export function serveAppSyncRealtime(wss: WebSocketServer, deps: RealtimeDeps): void {
  wss.on('connection', (socket, request) => {
    const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
    const caller = (async () => {
      const headers = { ...normalizeHeaders(request.headers), ...connectionAuthHeaders(request) };
      delete headers['sec-websocket-protocol'];
      return authenticate(
        { method: 'POST', url: '/graphql/connect', headers, body: '{}' },
        deps.auth,
        sourceIp,
      );
    })();
    new RealtimeConnection(socket, request, deps, caller);
  });
}
