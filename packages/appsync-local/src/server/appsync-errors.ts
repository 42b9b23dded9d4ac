import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';

/** One error as AppSync puts it on the wire: `errorType` beside `message`, not in extensions. */
export interface AppSyncWireError extends GraphQLFormattedError {
  readonly errorType?: string | null;
  readonly data?: unknown;
  readonly errorInfo?: unknown;
}

/** A result as AppSync returns it over HTTP and in subscription data. */
export interface AppSyncWireResult {
  readonly data?: unknown;
  readonly errors?: readonly AppSyncWireError[];
}

/** The wire form of an error; the engine's errors serialize themselves in AppSync's shape. */
export function toAppSyncError(error: GraphQLError): AppSyncWireError {
  return error.toJSON() as AppSyncWireError;
}

/** Converts an execution result into AppSync's wire shape. */
export function toAppSyncResult(result: ExecutionResult): AppSyncWireResult {
  return {
    ...(result.data === undefined ? {} : { data: result.data }),
    ...(result.errors === undefined || result.errors.length === 0
      ? {}
      : { errors: result.errors.map(toAppSyncError) }),
  };
}

/**
 * The same errors for graphql-ws clients, which read only standard fields: AppSync's
 * errorType, data and errorInfo are also copied into `extensions`.
 */
export function toGraphqlWsError(error: GraphQLError): GraphQLFormattedError {
  const { errorType, data, errorInfo, ...standard } = toAppSyncError(error);
  const extensions = { ...standard.extensions, errorType, data, errorInfo };
  return { ...standard, extensions };
}

/** A result holding a single error, for failures outside execution (auth, bad requests). */
export function singleError(errorType: string, message: string): AppSyncWireResult {
  return { errors: [{ errorType, message }] };
}
