import { authHeaders, type ClientAuth } from './auth.js';
import { SchedulerConnectionError, SchedulerError, type GraphqlErrorBody } from './errors.js';

/** The AppSync real-time URL for a GraphQL URL: AppSync's own host, or `<url>/realtime` for a custom one. */
export function realtimeUrlFor(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  if (url.hostname.includes('.appsync-api.')) {
    url.hostname = url.hostname.replace('.appsync-api.', '.appsync-realtime-api.');
  } else {
    url.pathname = `${url.pathname.replace(/\/$/, '')}/realtime`;
  }
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

interface MinimalSocket {
  send(data: string): void;
  close(code?: number): void;
  addEventListener(
    type: string,
    listener: (event: { data?: unknown; code?: number; reason?: string }) => void,
  ): void;
}

async function openSocket(url: string, protocols: string[]): Promise<MinimalSocket> {
  const native = (
    globalThis as { WebSocket?: new (url: string, protocols: string[]) => MinimalSocket }
  ).WebSocket;
  if (native !== undefined) return new native(url, protocols);
  const { WebSocket } = await import('ws');
  return new WebSocket(url, protocols) as unknown as MinimalSocket;
}

/** One live subscription: iterate it for events, `close()` to stop. */
export interface Subscription<T> extends AsyncIterableIterator<T> {
  close(): void;
}

type Message = {
  type: string;
  id?: string;
  payload?: { data?: unknown; errors?: GraphqlErrorBody[]; connectionTimeoutMs?: number };
};

/**
 * Subscribes over AppSync's real-time WebSocket protocol (connection_init/ack, start/start_ack, data, ka,
 * stop/complete). Resolves once the server acknowledged the start, so no event after that is missed.
 */
export async function subscribeRealtime<T>(options: {
  graphqlUrl: string;
  realtimeUrl?: string;
  auth: ClientAuth;
  query: string;
  variables?: Record<string, unknown>;
  pick: (data: unknown) => T;
}): Promise<Subscription<T>> {
  const graphqlUrl = new URL(options.graphqlUrl);
  const connectUrl = new URL(`${graphqlUrl.toString().replace(/\/$/, '')}/connect`);
  const header = await authHeaders(options.auth, connectUrl, '{}');
  const socket = await openSocket(options.realtimeUrl ?? realtimeUrlFor(options.graphqlUrl), [
    'graphql-ws',
    `header-${base64Url(JSON.stringify({ ...header, host: graphqlUrl.host }))}`,
  ]);
  const id = globalThis.crypto.randomUUID();
  const queue: T[] = [];
  const waiters: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  let failure: unknown = null;
  let done = false;
  let keepAlive: ReturnType<typeof setTimeout> | undefined;

  const finish = (error: unknown) => {
    if (done) return;
    done = true;
    failure = error;
    clearTimeout(keepAlive);
    for (const waiter of waiters.splice(0)) {
      if (error === null) waiter.resolve({ value: undefined, done: true });
      else waiter.reject(error);
    }
  };
  const push = (value: T) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve({ value, done: false });
    else queue.push(value);
  };

  const started = new Promise<void>((resolve, reject) => {
    const armKeepAlive = (timeoutMs: number) => {
      clearTimeout(keepAlive);
      keepAlive = setTimeout(() => {
        socket.close();
        const error = new SchedulerConnectionError(
          `No keep-alive from the server in ${timeoutMs} ms`,
        );
        reject(error);
        finish(error);
      }, timeoutMs);
    };
    let timeoutMs = 300_000;
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as Message;
      switch (message.type) {
        case 'connection_ack': {
          timeoutMs = message.payload?.connectionTimeoutMs ?? timeoutMs;
          armKeepAlive(timeoutMs);
          const data = JSON.stringify({ query: options.query, variables: options.variables ?? {} });
          void authHeaders(options.auth, graphqlUrl, data).then((authorization) =>
            socket.send(
              JSON.stringify({
                id,
                type: 'start',
                payload: { data, extensions: { authorization } },
              }),
            ),
          );
          break;
        }
        case 'ka':
          armKeepAlive(timeoutMs);
          break;
        case 'start_ack':
          resolve();
          break;
        case 'data':
          push(options.pick(message.payload?.data));
          break;
        case 'complete':
          finish(null);
          break;
        case 'error':
        case 'connection_error': {
          const error = new SchedulerError(
            message.payload?.errors ?? [
              { message: 'Subscription refused', errorType: 'SubscriptionError' },
            ],
          );
          reject(error);
          finish(error);
          socket.close();
          break;
        }
      }
    });
    socket.addEventListener('error', () => {
      const error = new SchedulerConnectionError('The WebSocket connection failed');
      reject(error);
      finish(error);
    });
    socket.addEventListener('close', (event) => {
      const error = done
        ? null
        : new SchedulerConnectionError(`The WebSocket closed (code ${event.code ?? 'unknown'})`);
      reject(error ?? new SchedulerConnectionError('The WebSocket closed'));
      finish(error);
    });
  });
  await started;

  const close = () => {
    if (done) return;
    socket.send(JSON.stringify({ type: 'stop', id }));
    finish(null);
    socket.close(1000);
  };
  const subscription: Subscription<T> = {
    close,
    next: () => {
      const value = queue.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (done)
        return failure === null
          ? Promise.resolve({ value: undefined, done: true })
          : Promise.reject(failure);
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    return: () => {
      close();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]: () => subscription,
  };
  return subscription;
}
