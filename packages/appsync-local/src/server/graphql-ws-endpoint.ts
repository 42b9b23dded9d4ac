import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import {
  GraphQLError,
  GraphQLSchema,
  parse,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Caller, GraphqlRequest, LocalGraphqlEngine } from '../contract.js';
import { authenticate, normalizeHeaders, type AuthConfig } from '../auth/authenticate.js';
import { toGraphqlWsError } from './appsync-errors.js';
import {
  DEFAULT_CONNECTION_LIMITS,
  LIMIT_EXCEEDED_ERROR_TYPE,
  MessageRate,
  isFlooded,
  type ConnectionLimits,
} from './connection-limits.js';
import type { RequestLimiter } from './limits.js';

/** Carried through graphql-ws's ExecutionArgs so execute/subscribe reach the engine. */
interface OperationContext {
  readonly request: GraphqlRequest;
  readonly caller: Caller;
}

/** What one graphql-ws connection keeps beside the library's own context. */
type ConnectionExtra = {
  caller?: Caller;
  rate?: MessageRate;
};

/** What the graphql-ws endpoint needs. */
export interface GraphqlWsDeps {
  readonly engine: LocalGraphqlEngine;
  readonly auth: AuthConfig;
  readonly limiter: RequestLimiter;
  /** @default DEFAULT_CONNECTION_LIMITS */
  readonly connectionLimits?: ConnectionLimits;
}

/**
 * graphql-ws accepts refusals from onSubscribe only if they are `instanceof` the GraphQLError of
 * the graphql copy Node resolves for it (the CommonJS build). A bundler or test runner may give
 * this module the ESM build instead, so refusals are rebuilt with Node's copy.
 */
const NodeGraphQLError = (createRequire(import.meta.url)('graphql') as typeof import('graphql'))
  .GraphQLError;

function forGraphqlWs(errors: readonly GraphQLError[]): readonly GraphQLError[] {
  return errors.map((error) => {
    const errorType = (error as { errorType?: unknown }).errorType ?? error.extensions['errorType'];
    const extensions =
      errorType === undefined ? error.extensions : { ...error.extensions, errorType };
    return new NodeGraphQLError(error.message, {
      source: error.source ?? null,
      positions: error.positions ?? null,
      extensions,
    });
  });
}

/** graphql-ws insists on a schema in ExecutionArgs; the engine owns the real one. */
const PLACEHOLDER_SCHEMA = new GraphQLSchema({});

function connectionHeaders(
  params: Readonly<Record<string, unknown>> | undefined,
  request: IncomingMessage,
): Record<string, string> {
  const fromParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'string') fromParams[name.toLowerCase()] = value;
  }
  return { ...normalizeHeaders(request.headers), ...fromParams };
}

function parseDocument(query: string): DocumentNode | readonly GraphQLError[] {
  try {
    return parse(query);
  } catch (error) {
    // Syntax errors are graphql-js's own public messages; anything else stays in the server.
    return [
      error instanceof GraphQLError ? error : new GraphQLError('The query could not be parsed'),
    ];
  }
}

function capError(message: string): readonly GraphQLError[] {
  return [new GraphQLError(message, { extensions: { errorType: LIMIT_EXCEEDED_ERROR_TYPE } })];
}

/** Operations under way on a connection (the one being subscribed included), counted up to `cap`. */
function countOperations(subscriptions: Readonly<Record<string, unknown>>, cap: number): number {
  let count = 0;
  for (const id in subscriptions) if (Object.hasOwn(subscriptions, id) && ++count > cap) break;
  return count;
}

/**
 * The per-connection caps, checked before anything else runs: a subscribe over the message rate
 * or the subscription cap gets an `error` message for its id, and the connection stays open.
 */
function checkCaps(
  extra: ConnectionExtra,
  subscriptions: Readonly<Record<string, unknown>>,
  limits: ConnectionLimits,
): readonly GraphQLError[] | undefined {
  extra.rate ??= new MessageRate(limits.maxMessagesPerSecond);
  if (!extra.rate.take()) return capError(extra.rate.refusal());
  const active = countOperations(subscriptions, limits.maxSubscriptions);
  if (active > limits.maxSubscriptions) {
    return capError(
      `Operations per connection exceed the limit of ${limits.maxSubscriptions}; received one more while ${limits.maxSubscriptions} are active`,
    );
  }
  return undefined;
}

/**
 * Serves the graphql-ws protocol (graphql-transport-ws) on `wss`: auth from the connection_init
 * payload (`x-api-key` or `Authorization`, as in the HTTP headers), execution by the engine.
 */
export function serveGraphqlWs(
  wss: WebSocketServer,
  deps: GraphqlWsDeps,
): { dispose(): void | Promise<void> } {
  const limits = deps.connectionLimits ?? DEFAULT_CONNECTION_LIMITS;
  // Registered before the library's own listeners: a client that sends without reading what it
  // is sent is dropped instead of having its answers buffered without bound.
  wss.on('connection', (socket) => {
    socket.on('message', () => {
      if (isFlooded(socket, limits)) socket.terminate();
    });
  });
  const execute = (args: ExecutionArgs) => {
    const context = args.contextValue as OperationContext;
    return deps.engine.execute(context.request, context.caller);
  };
  const subscribe = (args: ExecutionArgs) => {
    const context = args.contextValue as OperationContext;
    return deps.engine.subscribe(context.request, context.caller);
  };
  return useServer<Record<string, unknown>, ConnectionExtra>(
    {
      // Close reasons never carry an internal error's text to the client.
      isProd: true,
      execute,
      subscribe,
      onConnect: async (ctx) => {
        const headers = connectionHeaders(ctx.connectionParams, ctx.extra.request);
        const sourceIp = ctx.extra.request.socket.remoteAddress ?? '127.0.0.1';
        try {
          const request = { method: 'POST', url: '/graphql/connect', headers, body: '{}' };
          ctx.extra.caller = await authenticate(request, deps.auth, sourceIp);
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const refused = checkCaps(ctx.extra, ctx.subscriptions, limits);
        if (refused !== undefined) return forGraphqlWs(refused);
        const verdict = deps.limiter.check(payload);
        if (verdict.errors !== undefined) return forGraphqlWs(verdict.errors);
        const { request } = verdict;
        const document = parseDocument(request.query);
        if (Array.isArray(document)) return forGraphqlWs(document as readonly GraphQLError[]);
        const contextValue: OperationContext = { request, caller: ctx.extra.caller as Caller };
        return {
          schema: PLACEHOLDER_SCHEMA,
          document: document as DocumentNode,
          operationName: request.operationName ?? null,
          variableValues: request.variables ?? null,
          contextValue,
        };
      },
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) => ({
        ...(result.data === undefined ? {} : { data: result.data }),
        ...(result.errors === undefined ? {} : { errors: result.errors.map(toGraphqlWsError) }),
      }),
    },
    wss,
  );
}
