import type { IncomingMessage } from 'node:http';
import type { ExecutionResult } from 'graphql';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Caller, LocalGraphqlEngine } from '../appsync/contract.js';
import {
  UnauthorizedError,
  authenticate,
  normalizeHeaders,
  type AuthConfig,
} from '../auth/authenticate.js';
import { toAppSyncError, toAppSyncResult } from './appsync-errors.js';

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
}

interface StartMessage {
  readonly id: string;
  readonly payload?: {
    readonly data?: string;
    readonly extensions?: { readonly authorization?: Record<string, unknown> };
  };
}

type Subscription = AsyncIterableIterator<ExecutionResult>;

function decodeAuthJson(encoded: string): Record<string, string> {
  const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as unknown;
  return stringHeaders(parsed);
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
  private readonly subscriptions = new Map<string, Subscription>();
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly request: IncomingMessage,
    private readonly deps: RealtimeDeps,
    private readonly connectionCaller: Promise<Caller>,
  ) {
    connectionCaller.catch(() => undefined);
    socket.on('message', (data) => {
      this.onMessage(String(data)).catch((error: unknown) => this.fail(error));
    });
    socket.on('close', () => this.close());
    // A broken frame or reset must end this connection only, never the process.
    socket.on('error', () => socket.terminate());
  }

  private send(message: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private async onMessage(text: string): Promise<void> {
    let message: { type?: string; id?: string };
    try {
      message = JSON.parse(text) as { type?: string; id?: string };
    } catch {
      this.send({ type: 'error', payload: errorPayload('MessageParseError', 'not JSON') });
      return;
    }
    if (message.type === 'connection_init') await this.onInit();
    else if (message.type === 'start') await this.onStart(message as StartMessage);
    else if (message.type === 'stop') await this.stop(String(message.id));
    else {
      const reason = `unknown message type "${String(message.type)}"`;
      this.send({
        type: 'error',
        id: message.id,
        payload: errorPayload('UnsupportedOperation', reason),
      });
    }
  }

  private async onInit(): Promise<void> {
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
    this.send({ type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
    this.send({ type: 'ka' });
    this.keepAlive = setInterval(() => this.send({ type: 'ka' }), this.deps.keepAliveMs);
  }

  private async authenticateStart(message: StartMessage): Promise<Caller> {
    const authorization = message.payload?.extensions?.authorization;
    if (authorization === undefined) return this.connectionCaller;
    const request = {
      method: 'POST',
      url: '/graphql',
      headers: stringHeaders(authorization),
      body: message.payload?.data ?? '',
    };
    return authenticate(request, this.deps.auth, this.request.socket.remoteAddress ?? '127.0.0.1');
  }

  private async onStart(message: StartMessage): Promise<void> {
    const { id } = message;
    if (this.subscriptions.has(id)) {
      this.sendError(id, 'DuplicatedOperationError', `subscription id "${id}" is already in use`);
      return;
    }
    let caller: Caller;
    let request: { query: string; variables?: Record<string, unknown> | null };
    try {
      caller = await this.authenticateStart(message);
      request = JSON.parse(message.payload?.data ?? '') as typeof request;
      if (typeof request.query !== 'string') throw new Error('payload.data has no string "query"');
    } catch (error) {
      const type = error instanceof UnauthorizedError ? error.errorType : 'BadRequestException';
      this.sendError(id, type, (error as Error).message);
      return;
    }
    const outcome = await this.deps.engine.subscribe(request, caller);
    if (!(Symbol.asyncIterator in outcome)) {
      const errors = (outcome.errors ?? []).map(toAppSyncError);
      this.send({ type: 'error', id, payload: { errors } });
      return;
    }
    this.subscriptions.set(id, outcome);
    this.send({ type: 'start_ack', id });
    void this.forward(id, outcome);
  }

  private async forward(id: string, subscription: Subscription): Promise<void> {
    try {
      for await (const result of subscription) {
        this.send({ type: 'data', id, payload: toAppSyncResult(result) });
      }
    } catch (error) {
      this.sendError(id, 'InternalFailure', (error as Error).message);
    } finally {
      if (this.subscriptions.get(id) === subscription) this.subscriptions.delete(id);
    }
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.send({ type: 'error', payload: errorPayload('InternalFailure', message) });
  }

  private sendError(id: string, errorType: string, message: string): void {
    this.send({ type: 'error', id, payload: errorPayload(errorType, message) });
  }

  private async stop(id: string): Promise<void> {
    const subscription = this.subscriptions.get(id);
    this.subscriptions.delete(id);
    await subscription?.return?.();
    this.send({ type: 'complete', id });
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const subscription of this.subscriptions.values()) void subscription.return?.();
    this.subscriptions.clear();
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
