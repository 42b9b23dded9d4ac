/*
 * HTTP data source: { method, resourcePath, params: { query, headers, body } } sent to the
 * endpoint over node:http(s) with keep-alive, SigV4-signed when the data source has IAM signing
 * (as AppSync's AWS_IAM authorization config does). Result { statusCode, headers, body }; only a
 * failed connection sets ctx.error, an HTTP error status is a normal result. Not global fetch:
 * its per-request cost was a large share of a createSchedule's CPU in profiles.
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../node-sha256.js';
import { RequestShapeError } from './request-error.js';
import type { DataSourceConfig, DataSourceResult } from './types.js';

type HttpConfig = Extract<DataSourceConfig, { type: 'HTTP' }>;
interface HttpRequestJson {
  method: string;
  resourcePath: string;
  params?: { query?: Record<string, unknown>; headers?: Record<string, string>; body?: unknown };
}

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

const signers = new WeakMap<object, SignatureV4>();

function signerFor(signing: NonNullable<HttpConfig['signing']>): SignatureV4 {
  let signer = signers.get(signing);
  if (signer === undefined) {
    signer = new SignatureV4({ ...signing, sha256: NodeSha256 });
    signers.set(signing, signer);
  }
  return signer;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']);

function checkRequest(request: unknown): HttpRequestJson {
  const r = request as HttpRequestJson | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    !METHODS.has(String(r.method)) ||
    typeof r.resourcePath !== 'string' ||
    !r.resourcePath.startsWith('/')
  ) {
    throw new RequestShapeError(
      'HTTP',
      'expected { method, resourcePath: "/...", params? }',
      request,
    );
  }
  return r;
}

async function signedHeaders(
  config: HttpConfig,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
) {
  if (config.signing === undefined) return headers;
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, name) => {
    query[name] = value;
  });
  const signed = await signerFor(config.signing).sign(
    new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      body,
    }),
  );
  const { host: _host, ...rest } = signed.headers;
  return rest;
}

function headersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** An HTTP response as the data source returns it in ctx.result. */
export interface HttpResponseJson {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** One request over a shared keep-alive agent; resolves with the whole response body as text. */
export function sendHttpRequest(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal?: AbortSignal,
): Promise<HttpResponseJson> {
  const secure = url.protocol === 'https:';
  const agent = secure ? httpsAgent : httpAgent;
  const options = { method, headers, agent, ...(signal === undefined ? {} : { signal }) };
  return new Promise((resolve, reject) => {
    const onResponse = (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (part: Buffer) => chunks.push(part));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          statusCode: response.statusCode ?? 0,
          headers: headersOf(response.headers),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    };
    const outgoing = secure
      ? httpsRequest(url, options, onResponse)
      : httpRequest(url, options, onResponse);
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * A `fetch` for string bodies over {@link sendHttpRequest}, for in-process callers on hot paths
 * (undici's fetch cost more CPU per call than the local handlers it called).
 */
export const keepAliveFetch: typeof fetch = async (input, init) => {
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw new TypeError(`keepAliveFetch takes a string or URL; received a ${typeof input}`);
  }
  if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') {
    throw new TypeError(`keepAliveFetch sends string bodies only; received ${typeof init.body}`);
  }
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => {
    headers[name] = value;
  });
  const url = input instanceof URL ? input : new URL(input);
  const method = init?.method ?? 'GET';
  const answer = await sendHttpRequest(
    url,
    method,
    headers,
    init?.body ?? undefined,
    init?.signal ?? undefined,
  );
  const empty = [101, 204, 205, 304].includes(answer.statusCode);
  return new Response(empty ? null : answer.body, {
    status: answer.statusCode,
    headers: answer.headers,
  });
};

/** Sends the request and returns the response as `ctx.result`. */
export async function invokeHttp(config: HttpConfig, request: unknown): Promise<DataSourceResult> {
  const r = checkRequest(request);
  const url = new URL(config.endpoint.replace(/\/+$/, '') + r.resourcePath);
  for (const [name, value] of Object.entries(r.params?.query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.append(name, String(value));
  }
  const raw = r.params?.body;
  const body =
    raw === undefined || raw === null
      ? undefined
      : typeof raw === 'string'
        ? raw
        : JSON.stringify(raw);
  const headers = await signedHeaders(
    config,
    url,
    r.method,
    { ...(r.params?.headers ?? {}) },
    body,
  );
  try {
    return { result: await sendHttpRequest(url, r.method, headers, body), error: null };
  } catch (error) {
    return {
      result: null,
      error: {
        type: 'HTTP:RequestFailed',
        message: `${r.method} ${url.origin}${url.pathname} failed: ${(error as Error).message}`,
      },
    };
  }
}
