import type { ExecutionResult, GraphQLError } from 'graphql';

/** One error as AppSync puts it on the wire: `errorType` beside `message`, not in extensions. */
export interface AppSyncWireError {
  readonly message: string;
  readonly errorType: string;
  readonly path?: readonly (string | number)[] | null;
  readonly locations?: readonly { line: number; column: number }[] | null;
  readonly data?: unknown;
  readonly errorInfo?: unknown;
}

/** A result as AppSync returns it over HTTP and in subscription data. */
export interface AppSyncWireResult {
  readonly data?: unknown;
  readonly errors?: readonly AppSyncWireError[];
}

/** The errorType for errors that carry none (parse and validation errors). */
const FALLBACK_ERROR_TYPE = 'GraphQLError';

/** Converts a graphql-js error into AppSync's wire shape. */
export function toAppSyncError(error: GraphQLError): AppSyncWireError {
  const extensions = (error.extensions ?? {}) as Record<string, unknown>;
  const errorType =
    typeof extensions['errorType'] === 'string' ? extensions['errorType'] : FALLBACK_ERROR_TYPE;
  return {
    message: error.message,
    errorType,
    path: error.path ?? null,
    locations: error.locations ?? null,
    data: extensions['data'] ?? null,
    errorInfo: extensions['errorInfo'] ?? null,
  };
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

/** A result holding a single error, for failures outside execution (auth, bad requests). */
export function singleError(errorType: string, message: string): AppSyncWireResult {
  return { errors: [{ errorType, message }] };
}
