import { createHash, timingSafeEqual } from 'node:crypto';
import { NodeSha256 } from '../node-sha256.js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IamIdentity } from '../contract.js';

/** Credentials the local stack accepts for IAM callers (and signs its own calls with). */
export interface LocalIamCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The account every local IAM caller belongs to. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** A request as received, for signature checking; header names lower-cased. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, e.g. `/graphql?x=1`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/;

/** How far a request's x-amz-date may be from now, as AWS allows. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

function parseAmzDate(text: string | undefined): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!match) throw new Error(`x-amz-date must look like 20260101T000000Z; received "${text}"`);
  const [, y, mo, d, h, mi, s] = match;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

function toHttpRequest(request: ReceivedRequest, signedHeaders: readonly string[]): HttpRequest {
  const url = new URL(request.url, 'http://placeholder');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) throw new Error(`signed header "${name}" is missing`);
    headers[name] = value;
  }
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => (query[key] = value));
  return new HttpRequest({
    method: request.method,
    hostname: (request.headers['host'] ?? '').split(':')[0] ?? '',
    path: url.pathname,
    query,
    headers,
    body: request.body,
  });
}

/** The signer trusts x-amz-content-sha256, so the body must be checked against it here. */
function checkBodyHash(request: ReceivedRequest): void {
  const declared = request.headers['x-amz-content-sha256'];
  if (declared === undefined) return;
  const actual = createHash('sha256').update(request.body, 'utf8').digest('hex');
  if (declared !== actual) {
    throw new Error(`the body does not match x-amz-content-sha256 (received "${declared}")`);
  }
}

/**
 * Checks a SigV4 `Authorization` header for service "appsync" against the local credentials and
 * returns the IAM identity; throws naming what was wrong.
 */
export async function verifySigV4(
  request: ReceivedRequest,
  credentials: LocalIamCredentials,
  now: number = Date.now(),
): Promise<IamIdentity> {
  const match = AUTH_PATTERN.exec(request.headers['authorization'] ?? '');
  if (!match) throw new Error('the Authorization header is not a SigV4 signature');
  const [, accessKeyId = '', , region = '', service = '', signedList = '', signature = ''] = match;
  if (accessKeyId !== credentials.accessKeyId) {
    throw new Error(`unknown access key "${accessKeyId}"`);
  }
  if (service !== 'appsync') {
    throw new Error(`the signature is for service "${service}", expected "appsync"`);
  }
  const signingDate = parseAmzDate(request.headers['x-amz-date']);
  if (Math.abs(now - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new Error(`x-amz-date ${request.headers['x-amz-date']} is more than 15 minutes off`);
  }
  checkBodyHash(request);
  const signedHeaders = signedList.split(';');
  const signer = new SignatureV4({ credentials, region, service, sha256: NodeSha256 });
  const expected = await signer.sign(toHttpRequest(request, signedHeaders), {
    signingDate,
    signableHeaders: new Set(signedHeaders),
  });
  const expectedSignature = /Signature=([0-9a-f]+)/.exec(expected.headers['authorization'] ?? '');
  const a = Buffer.from(expectedSignature?.[1] ?? '');
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new Error('the request signature does not match');
  }
  return iamIdentity(accessKeyId, request.headers['x-forwarded-for'] ?? '127.0.0.1');
}

/** `ctx.identity` of a local IAM caller. */
export function iamIdentity(accessKeyId: string, sourceIp: string): IamIdentity {
  return {
    accountId: LOCAL_ACCOUNT_ID,
    userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${accessKeyId}`,
    username: accessKeyId,
    sourceIp: [sourceIp],
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
  };
}
