import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { CognitoIdentity } from '../contract.js';

/** `iss` of every dev token; tokens from anywhere else are refused. */
export const DEV_TOKEN_ISSUER = 'urn:precise-scheduler:local-user-pool';

/** Default lifetime of a minted token, in seconds (Cognito's default for ID tokens). */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** The stable `sub` of a dev user: a UUID-shaped hash of the username. */
export function devUserSub(username: string): string {
  const hex = createHash('sha256').update(`local-user:${username}`).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `8${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

function secretBytes(secret: string): Uint8Array {
  return new Uint8Array(Buffer.from(secret, 'base64url'));
}

/** Mints a Cognito-shaped ID token for `username`, signed with the stack's secret (HS256). */
export async function mintDevToken(
  secret: string,
  username: string,
  options: { expiresInSeconds?: number; groups?: readonly string[] } = {},
): Promise<string> {
  if (username.trim() === '') {
    throw new Error(`username must not be empty; received "${username}"`);
  }
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    'cognito:username': username,
    token_use: 'id',
    auth_time: now,
    ...(options.groups === undefined ? {} : { 'cognito:groups': [...options.groups] }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(devUserSub(username))
    .setIssuer(DEV_TOKEN_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? DEFAULT_TOKEN_TTL_SECONDS))
    .sign(secretBytes(secret));
}

/**
 * Verifies a dev token (signature, issuer, expiry) and returns the caller's `ctx.identity`;
 * throws with the reason when the token is refused.
 */
export async function verifyDevToken(
  secret: string,
  token: string,
  sourceIp: string,
): Promise<CognitoIdentity> {
  const { payload } = await jwtVerify(token.replace(/^Bearer\s+/i, ''), secretBytes(secret), {
    issuer: DEV_TOKEN_ISSUER,
    algorithms: ['HS256'],
    requiredClaims: ['sub', 'exp'],
  });
  const username = payload['cognito:username'];
  if (typeof username !== 'string' || typeof payload.sub !== 'string') {
    throw new Error('the token has no cognito:username claim');
  }
  const groups = payload['cognito:groups'];
  return {
    sub: payload.sub,
    issuer: DEV_TOKEN_ISSUER,
    username,
    claims: payload,
    sourceIp: [sourceIp],
    defaultAuthStrategy: 'ALLOW',
    groups: Array.isArray(groups) ? groups.map(String) : null,
  };
}
