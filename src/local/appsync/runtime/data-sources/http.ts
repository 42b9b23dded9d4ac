/*
 * HTTP data source: { method, resourcePath, params: { query, headers, body } } sent to the
 * endpoint with global fetch, SigV4-signed when the data source has IAM signing (as AppSync's
 * AWS_IAM authorization config does). Result { statusCode, headers, body }; only a failed
 * connection sets ctx.error, an HTTP error status is a normal result.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { RequestShapeError } from './request-error.js';
import type { DataSourceConfig, DataSourceResult } from './types.js';

type HttpConfig = Extract<DataSourceConfig, { type: 'HTTP' }>;
interface HttpRequestJson {
  method: string;
  resourcePath: string;
  params?: { query?: Record<string, unknown>; headers?: Record<string, string>; body?: unknown };
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
  const signer = new SignatureV4({ ...config.signing, sha256: Sha256 });
  const signed = await signer.sign(
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

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

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
    const response = await fetch(url, { method: r.method, headers, body });
    return {
      result: {
        statusCode: response.status,
        headers: headersOf(response.headers),
        body: await response.text(),
      },
      error: null,
    };
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return {
      result: null,
      error: {
        type: 'HTTP:RequestFailed',
        message: `${(error as Error).message}${cause ? `: ${cause}` : ''}`,
      },
    };
  }
}
