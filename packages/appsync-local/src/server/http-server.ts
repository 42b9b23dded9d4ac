import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { LocalGraphqlEngine } from '../contract.js';
import type { AuthConfig } from '../auth/authenticate.js';
import { APPSYNC_REALTIME_PROTOCOL, serveAppSyncRealtime } from './appsync-realtime.js';
import { CORS_HEADERS, handleGraphqlPost, sendJson } from './graphql-http.js';
import { serveGraphqlWs } from './graphql-ws-endpoint.js';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connection-limits.js';
import { DEFAULT_QUERY_LIMITS, RequestLimiter, type QueryLimits } from './limits.js';

/** What the endpoint serves. */
export interface EndpointDeps {
  readonly engine: LocalGraphqlEngine;
  readonly auth: AuthConfig;
  readonly keepAliveMs: number;
  /**
   * Answers the GET requests the endpoint does not route itself (e.g. a web console's files);
   * resolves true when it answered. @default none (such requests get a 404)
   */
  readonly serveGet?: (path: string, req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Key and certificate for TLS (https://, wss://) on the same port. */
  readonly tls: { readonly key: string; readonly cert: string };
  /** Limits on each request's document and variables, on every transport. @default DEFAULT_QUERY_LIMITS */
  readonly queryLimits?: QueryLimits;
  /** Caps on each WebSocket connection. @default DEFAULT_CONNECTION_LIMITS */
  readonly connectionLimits?: ConnectionLimits;
}

/** The dependencies with the limits resolved, shared by every transport. */
type ServedDeps = EndpointDeps & {
  readonly limiter: RequestLimiter;
  readonly connectionLimits: ConnectionLimits;
};

/** The running local AppSync endpoint. */
export interface LocalEndpoint {
  readonly port: number;
  stop(): Promise<void>;
}

async function route(req: IncomingMessage, res: ServerResponse, deps: ServedDeps) {
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  if (req.method === 'OPTIONS') {
    // Browsers list the headers they will send; allowing exactly those keeps any client working.
    const requested = req.headers['access-control-request-headers'];
    res.writeHead(204, {
      ...CORS_HEADERS,
      ...(requested === undefined ? {} : { 'access-control-allow-headers': requested }),
    });
    res.end();
  } else if (req.method === 'POST' && path === '/graphql') {
    await handleGraphqlPost(req, res, deps);
  } else if (req.method === 'GET' && path === '/health') {
    sendJson(res, 200, { status: 'ok' });
  } else if (!(req.method === 'GET' && (await deps.serveGet?.(path, req, res)))) {
    sendJson(res, 404, {
      errors: [{ errorType: 'NotFound', message: `no route ${req.method} ${path}` }],
    });
  }
}

function routeUpgrades(servers: readonly Server[], deps: ServedDeps): () => Promise<void> {
  const maxPayload = deps.connectionLimits.maxFrameBytes;
  const graphqlWs = new WebSocketServer({ noServer: true, maxPayload });
  const realtime = new WebSocketServer({
    noServer: true,
    maxPayload,
    handleProtocols: (protocols) =>
      protocols.has(APPSYNC_REALTIME_PROTOCOL) ? APPSYNC_REALTIME_PROTOCOL : false,
  });
  const graphqlWsServer = serveGraphqlWs(graphqlWs, deps);
  serveAppSyncRealtime(realtime, deps);
  const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const target = path === '/graphql' ? graphqlWs : path === '/graphql/realtime' ? realtime : null;
    if (target === null) {
      socket.destroy();
      return;
    }
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
  };
  for (const server of servers) server.on('upgrade', onUpgrade);
  return async () => {
    for (const client of [...graphqlWs.clients, ...realtime.clients]) client.terminate();
    await graphqlWsServer.dispose();
    graphqlWs.close();
    realtime.close();
  };
}

/** The first byte of a TLS handshake record. */
const TLS_HANDSHAKE = 0x16;

/**
 * Serves plain HTTP and TLS on one port by peeking at the first byte: Amplify JS always opens
 * wss:// even for an http:// endpoint, so both must answer on the port the user configured.
 */
function listenBoth(plain: Server, secure: Server) {
  return createNetServer((socket) => {
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
}

/**
 * Starts the local AppSync endpoint: POST /graphql, WebSocket subscriptions at /graphql
 * (graphql-ws) and /graphql/realtime (AppSync real-time), GET /health, and whatever `serveGet`
 * answers, over HTTP and TLS on the same port.
 */
export async function startEndpoint(
  endpointDeps: EndpointDeps,
  options: { port: number; host: string },
): Promise<LocalEndpoint> {
  const deps: ServedDeps = {
    ...endpointDeps,
    limiter: new RequestLimiter(endpointDeps.queryLimits ?? DEFAULT_QUERY_LIMITS),
    connectionLimits: endpointDeps.connectionLimits ?? DEFAULT_CONNECTION_LIMITS,
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res, deps).catch((error: unknown) => {
      console.error(`${req.method} ${req.url} failed:`, error);
      if (!res.headersSent) {
        const message = 'The request failed inside the server';
        sendJson(res, 500, { errors: [{ errorType: 'InternalFailure', message }] });
      }
    });
  };
  const plain = createServer(handler);
  const secure = createHttpsServer({ key: deps.tls.key, cert: deps.tls.cert }, handler);
  const closeSockets = routeUpgrades([plain, secure], deps);
  const listener = listenBoth(plain, secure);
  listener.listen(options.port, options.host);
  await once(listener, 'listening');
  const { port } = listener.address() as AddressInfo;
  return {
    port,
    stop: async () => {
      await closeSockets();
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const server of [plain, secure]) server.closeAllConnections();
      await closed;
    },
  };
}
