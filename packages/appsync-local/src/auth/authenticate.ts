import type { Caller } from '../contract.js';
import { verifyDevToken } from './dev-jwt.js';
import { verifySigV4, type LocalIamCredentials, type ReceivedRequest } from './sigv4.js';

/** What the local endpoint checks callers against. */
export interface AuthConfig {
  readonly apiKey: string;
  readonly jwtSecret: string;
  readonly iamCredentials: LocalIamCredentials;
}

/** A refused caller; the transports answer it as AppSync does (HTTP 401, UnauthorizedException). */
export class UnauthorizedError extends Error {
  readonly errorType = 'UnauthorizedException';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnauthorizedError';
  }
}

/**
 * Authenticates a request as AppSync does: `x-api-key` for API keys, a SigV4 `Authorization`
 * for IAM, any other `Authorization` as a user-pool JWT. Throws {@link UnauthorizedError}.
 */
export async function authenticate(
  request: ReceivedRequest,
  config: AuthConfig,
  sourceIp: string,
): Promise<Caller> {
  const { headers } = request;
  const apiKey = headers['x-api-key'];
  const authorization = headers['authorization'];
  if (apiKey !== undefined) {
    if (apiKey !== config.apiKey) throw new UnauthorizedError('The API key is not valid.');
    return { authMode: 'API_KEY', identity: null, headers };
  }
  if (authorization === undefined || authorization === '') {
    throw new UnauthorizedError('Valid authorization header not provided.');
  }
  if (authorization.startsWith('AWS4-HMAC-SHA256')) {
    try {
      const identity = await verifySigV4(request, config.iamCredentials);
      return { authMode: 'AWS_IAM', identity, headers };
    } catch (error) {
      throw new UnauthorizedError(`IAM signature refused: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  try {
    const identity = await verifyDevToken(config.jwtSecret, authorization, sourceIp);
    return { authMode: 'AMAZON_COGNITO_USER_POOLS', identity, headers };
  } catch (error) {
    throw new UnauthorizedError(`Token refused: ${(error as Error).message}`, { cause: error });
  }
}

/** Lower-cases header names and joins repeated values, as AppSync's ctx.request.headers. */
export function normalizeHeaders(
  raw: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = typeof value === 'string' ? value : value.join(',');
  }
  return headers;
}
