import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalGraphqlEngine } from '../contract.js';
import {
  UnauthorizedError,
  authenticate,
  normalizeHeaders,
  type AuthConfig,
} from '../auth/authenticate.js';
import {
  singleError,
  toAppSyncError,
  toAppSyncResult,
  type AppSyncWireResult,
} from './appsync-errors.js';
import type { RequestLimiter } from './limits.js';

/** Largest accepted request body, in bytes. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** What the GraphQL POST handler needs. */
export interface GraphqlHttpDeps {
  readonly engine: LocalGraphqlEngine;
  readonly auth: AuthConfig;
  /** Checks member types, the document and the variables before the engine runs anything. */
  readonly limiter: RequestLimiter;
}

class BadRequestError extends Error {
  override readonly name: string = 'BadRequestError';
}

/** The body outgrew the limit while it was still arriving: the rest of it is left unread. */
class BodyTooLargeError extends BadRequestError {
  override readonly name = 'BodyTooLargeError';
}

/** CORS headers so browser clients on other origins (Amplify apps) can call the endpoint. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers':
    'content-type, x-api-key, authorization, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256',
  'access-control-max-age': '86400',
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new BodyTooLargeError(`body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as JSON; V8's JSON.parse does not recurse, so any nesting is safe to read here. */
function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new BadRequestError(`the body is not JSON; received "${body.slice(0, 60)}"`);
  }
}

/** Writes a JSON response with the CORS headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    ...CORS_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

async function answer(
  req: IncomingMessage,
  deps: GraphqlHttpDeps,
): Promise<[number, AppSyncWireResult]> {
  const body = await readBody(req);
  const headers = normalizeHeaders(req.headers);
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  const caller = await authenticate(
    { method: req.method ?? 'POST', url: req.url ?? '/graphql', headers, body },
    deps.auth,
    sourceIp,
  );
  const verdict = deps.limiter.check(parseBody(body));
  if (verdict.errors !== undefined) return [400, { errors: verdict.errors.map(toAppSyncError) }];
  const result = await deps.engine.execute(verdict.request, caller);
  return [200, toAppSyncResult(result)];
}

/** Serves `POST /graphql` as AppSync does: 401 for refused callers, errors with errorType. */
export async function handleGraphqlPost(
  req: IncomingMessage,
  res: ServerResponse,
  deps: GraphqlHttpDeps,
): Promise<void> {
  try {
    const [status, result] = await answer(req, deps);
    sendJson(res, status, result);
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      sendJson(res, 401, singleError(error.errorType, error.message));
    } else if (error instanceof BadRequestError) {
      // Unread body bytes would corrupt the next request on a kept-alive connection.
      const close: Record<string, string> =
        error instanceof BodyTooLargeError ? { connection: 'close' } : {};
      sendJson(res, 400, singleError('MalformedHttpRequestException', error.message), close);
    } else {
      // The cause stays in the server: its text (a stack overflow, a null dereference) is no
      // business of the client's.
      console.error('POST /graphql failed:', error);
      sendJson(res, 500, singleError('InternalFailure', 'The request failed inside the server'));
    }
  }
}
