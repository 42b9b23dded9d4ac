/** The `errorType` values clients see on GraphQL errors; one per thing that can go wrong. */
export const ErrorType = {
  validation: 'ValidationError',
  notFound: 'NotFoundError',
  alreadyFired: 'AlreadyFiredError',
  alreadyCancelled: 'AlreadyCancelledError',
  idempotencyConflict: 'IdempotencyConflictError',
  conflict: 'ConflictError',
  configuration: 'ConfigurationError',
  unauthorized: 'UnauthorizedException',
} as const;

export type ErrorTypeName = (typeof ErrorType)[keyof typeof ErrorType];
