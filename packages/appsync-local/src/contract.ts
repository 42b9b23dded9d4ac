/*
 * The contract between the local AppSync engine (schema + resolvers + data sources) and the
 * transports that serve it (HTTP POST /graphql, graphql-ws, AppSync real-time WebSocket).
 */
import type { ExecutionResult } from 'graphql';

/** How the caller authenticated, as AppSync names the modes. */
export type AuthMode = 'API_KEY' | 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM';

/** `ctx.identity` for a Cognito user pool caller. */
export interface CognitoIdentity {
  readonly sub: string;
  readonly issuer: string;
  readonly username: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly sourceIp: readonly string[];
  readonly defaultAuthStrategy: 'ALLOW' | 'DENY';
  readonly groups: readonly string[] | null;
}

/** `ctx.identity` for an IAM (SigV4) caller. */
export interface IamIdentity {
  readonly accountId: string;
  readonly userArn: string;
  readonly username: string;
  readonly sourceIp: readonly string[];
  readonly cognitoIdentityPoolId: string | null;
  readonly cognitoIdentityId: string | null;
  readonly cognitoIdentityAuthType: string | null;
  readonly cognitoIdentityAuthProvider: string | null;
}

/** An authenticated caller; `identity` is null for API-key callers, as in AppSync. */
export interface Caller {
  readonly authMode: AuthMode;
  readonly identity: CognitoIdentity | IamIdentity | null;
  /** Request headers, lower-cased (ctx.request.headers). */
  readonly headers: Readonly<Record<string, string>>;
}

/** A GraphQL request as clients send it. */
export interface GraphqlRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | null;
  readonly operationName?: string | null;
}

/** An AppSync-shaped GraphQL error: `errorType` plus optional `data`/`errorInfo`. */
export interface AppSyncErrorExtensions {
  readonly errorType: string;
  readonly data?: unknown;
  readonly errorInfo?: unknown;
}

/** The local AppSync engine the transports call. */
export interface LocalGraphqlEngine {
  /** Runs a query or mutation; errors come back in the result, never thrown. */
  execute(request: GraphqlRequest, caller: Caller): Promise<ExecutionResult>;
  /**
   * Starts a subscription: an iterator of events, or an ExecutionResult with errors when the
   * request is invalid or not allowed. Returning from the iterator ends the subscription.
   */
  subscribe(
    request: GraphqlRequest,
    caller: Caller,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
}
