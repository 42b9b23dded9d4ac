import type { DataSourceResult } from './types.js';

/** NONE data source: the request's `payload` becomes `ctx.result`. */
export function invokeNone(request: unknown): DataSourceResult {
  const payload =
    request !== null && typeof request === 'object'
      ? (request as { payload?: unknown }).payload
      : undefined;
  return { result: payload ?? null, error: null };
}
