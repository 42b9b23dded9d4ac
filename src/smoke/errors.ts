import { SchedulerConnectionError, SchedulerError, SchedulerHttpError } from '../client/index.js';

/** True when the request never got an HTTP answer (refused, DNS, TLS, reset). */
export function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}

/** One line naming what went wrong: HTTP status, AppSync errorType and message, or the network cause. */
export function describeError(error: unknown): string {
  if (error instanceof SchedulerHttpError)
    return `HTTP ${error.status} ${error.errorType}: ${error.message}`;
  if (error instanceof SchedulerError) return `${error.errorType}: ${error.message}`;
  if (isNetworkFailure(error)) {
    const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
    return `fetch failed (${cause?.code ?? cause?.message ?? 'no cause given'})`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** What a refused first request most likely means. */
export function meaningOfRefusal(error: unknown): string {
  const unauthorized =
    (error instanceof SchedulerHttpError && (error.status === 401 || error.status === 403)) ||
    (error instanceof SchedulerError && /unauthori[sz]ed/i.test(error.errorType));
  if (unauthorized)
    return 'the credentials are wrong or expired, or that auth mode is not enabled on the API (an API key exists only when deployed with apiKeyExpiresInDays; IAM needs appsync:GraphQL on the API)';
  if (error instanceof SchedulerHttpError && error.status === 404)
    return 'the URL is not the GraphQL URL of the API (stack output GraphqlUrl, ending in /graphql)';
  return 'the API answered but could not run the query: check its logs (fieldLogLevel) and that the stack deployed completely';
}

/** What a subscription that never started most likely means. */
export function meaningOfSubscribeFailure(error: unknown): string {
  if (error instanceof SchedulerConnectionError)
    return 'the real-time URL is wrong or unreachable (pass --realtime-url with the stack output RealtimeUrl), or a proxy blocks WebSockets';
  return 'the real-time endpoint refused the subscription: the auth mode is not allowed on onScheduleFired, or the handshake credentials were rejected';
}

/** Rejects when `promise` has not settled within `ms`; `onLate` receives a value that arrives after. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  onLate?: (value: T) => void,
): Promise<T> {
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error(`no answer within ${ms} ms: ${what}`));
    }, ms);
  });
  const guarded = promise.then((value) => {
    if (timedOut) onLate?.(value);
    return value;
  });
  return Promise.race([guarded, timeout]).finally(() => clearTimeout(timer));
}
