/**
 * Outcome of a domain check. Domain code returns errors instead of throwing because the
 * APPSYNC_JS runtime that runs the resolvers has no throw/try; callers turn `ok: false`
 * into `util.error(...)` (resolvers) or a thrown error (Lambdas).
 */
export type DomainError = { readonly type: string; readonly message: string };
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DomainError };

/** Builds a successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failed result carrying an AppSync-style `errorType`. */
export function fail<T>(type: string, message: string): Result<T> {
  return { ok: false, error: { type, message } };
}
