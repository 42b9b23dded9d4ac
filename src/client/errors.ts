/** A GraphQL error as AppSync returns it: `errorType` beside the message (or under extensions). */
export interface GraphqlErrorBody {
  readonly message: string;
  readonly errorType?: string | null;
  readonly path?: readonly (string | number)[];
  readonly data?: unknown;
  readonly errorInfo?: unknown;
  readonly extensions?: { readonly errorType?: string } | null;
}

/** The API refused or failed a request; `errorType` is AppSync's (e.g. `ValidationError`, `NotFoundError`). */
export class SchedulerError extends Error {
  override readonly name: string = 'SchedulerError';
  readonly errorType: string;
  readonly path: readonly (string | number)[] | undefined;
  readonly errors: readonly GraphqlErrorBody[];

  constructor(errors: readonly GraphqlErrorBody[], options?: { cause?: unknown }) {
    const first = errors[0];
    super(first?.message ?? 'Unknown error', options);
    this.errorType = first?.errorType ?? first?.extensions?.errorType ?? 'UnknownError';
    this.path = first?.path;
    this.errors = errors;
  }
}

/** The endpoint answered with an HTTP error before GraphQL ran (bad auth, server failure). */
export class SchedulerHttpError extends SchedulerError {
  override readonly name: string = 'SchedulerHttpError';
  readonly status: number;

  constructor(status: number, errors: readonly GraphqlErrorBody[]) {
    super(errors.length > 0 ? errors : [{ message: `HTTP ${status}`, errorType: `Http${status}` }]);
    this.status = status;
  }
}

/** The subscription connection failed or closed unexpectedly. */
export class SchedulerConnectionError extends SchedulerError {
  override readonly name: string = 'SchedulerConnectionError';

  constructor(message: string, options?: { cause?: unknown }) {
    super([{ message, errorType: 'ConnectionError' }], options);
  }
}
