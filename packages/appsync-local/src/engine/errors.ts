/*
 * Errors shaped as AppSync returns them: resolver errors carry `errorType`, `data` and
 * `errorInfo` beside `message`, `locations` and `path` (not under `extensions`).
 */
import { GraphQLError, type ASTNode, type GraphQLFormattedError } from 'graphql';

/** errorType of a field the caller's auth mode may not access. */
export const UNAUTHORIZED = 'Unauthorized';

/** Thrown inside field resolvers to fail the field with an AppSync errorType. */
export class AppSyncFieldError extends Error {
  override readonly name = 'AppSyncFieldError';

  constructor(
    message: string,
    readonly errorType: string | null,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
  }
}

/** A GraphQL error as AppSync formats it. */
export interface AppSyncFormattedError extends GraphQLFormattedError {
  readonly errorType?: string | null;
  readonly data?: unknown;
  readonly errorInfo?: unknown;
}

/** A GraphQLError whose JSON form puts errorType, data and errorInfo at the top level. */
export class AppSyncGraphQLError extends GraphQLError {
  readonly errorType: string | null | undefined;
  readonly data: unknown;
  readonly errorInfo: unknown;

  constructor(
    source: GraphQLError,
    details: { errorType?: string | null; data?: unknown; errorInfo?: unknown },
  ) {
    super(source.message, {
      nodes: source.nodes ?? null,
      source: source.source ?? null,
      positions: source.positions ?? null,
      path: source.path ?? null,
      originalError: source.originalError ?? null,
      extensions: source.extensions,
    });
    this.errorType = details.errorType;
    this.data = details.data ?? null;
    this.errorInfo = details.errorInfo ?? null;
  }

  override toJSON(): AppSyncFormattedError {
    const base = super.toJSON();
    if (this.errorType === undefined) {
      return base;
    }
    const { extensions: _extensions, ...rest } = base;
    return {
      ...rest,
      data: this.data,
      errorType: this.errorType,
      errorInfo: this.errorInfo,
    };
  }
}

/** errorType of a request AppSync cannot parse. */
export const MALFORMED_REQUEST = 'MalformedHttpRequestException';

/**
 * Converts graphql-js errors to AppSync's shape. Resolver failures keep their errorType.
 * Document and variable errors (no path) become "ValidationError": AppSync itself leaves them
 * without one, but every client-facing error here carries an errorType. Anything else that
 * failed inside execution (an exception, a null for a non-null field) is "InternalFailure".
 */
export function toAppSyncError(error: GraphQLError): AppSyncGraphQLError {
  if (error instanceof AppSyncGraphQLError) {
    return error;
  }
  const original = error.originalError;
  if (original instanceof AppSyncFieldError) {
    return new AppSyncGraphQLError(error, original);
  }
  return new AppSyncGraphQLError(error, {
    errorType: error.path === undefined ? 'ValidationError' : 'InternalFailure',
  });
}

/** A field error at `path`, for errors a resolver appended without failing its field. */
export function appendedFieldError(
  message: string,
  at: { nodes: readonly ASTNode[]; path: readonly (string | number)[] },
  details: { errorType: string | null; data?: unknown; errorInfo?: unknown },
): AppSyncGraphQLError {
  return new AppSyncGraphQLError(new GraphQLError(message, at), details);
}
