import type { IncomingMessage } from 'node:http';
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
import type { Caller, GraphqlRequest, LocalGraphqlEngine } from '../appsync/contract.js';
import { authenticate, normalizeHeaders, type AuthConfig } from '../auth/authenticate.js';
import { toGraphqlWsError } from './appsync-errors.js';

/** Carried through graphql-ws's ExecutionArgs so execute/subscribe reach the engine. */
interface OperationContext {
  readonly request: GraphqlRequest;
  readonly caller: Caller;
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
    return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
  }
}

/**
 * Serves the graphql-ws protocol (graphql-transport-ws) on `wss`: auth from the connection_init
 * payload (`x-api-key` or `Authorization`, as in the HTTP headers), execution by the engine.
 */
export function serveGraphqlWs(
  wss: WebSocketServer,
  deps: { engine: LocalGraphqlEngine; auth: AuthConfig },
): { dispose(): void | Promise<void> } {
  const execute = (args: ExecutionArgs) => {
    const context = args.contextValue as OperationContext;
    return deps.engine.execute(context.request, context.caller);
  };
  const subscribe = (args: ExecutionArgs) => {
    const context = args.contextValue as OperationContext;
    return deps.engine.subscribe(context.request, context.caller);
  };
  return useServer<Record<string, unknown>, { caller: Caller }>(
    {
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
        const document = parseDocument(payload.query);
        if (Array.isArray(document)) return document as readonly GraphQLError[];
        const request: GraphqlRequest = {
          query: payload.query,
          variables: payload.variables ?? null,
          operationName: payload.operationName ?? null,
        };
        const contextValue: OperationContext = { request, caller: ctx.extra.caller as Caller };
        return {
          schema: PLACEHOLDER_SCHEMA,
          document: document as DocumentNode,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
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
