import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { FiredEvent } from '../../src/engine/fired-event.js';

/** Credentials the tests sign with and the recorder verifies against. */
export const TEST_SIGNING_CREDENTIALS = {
  accessKeyId: 'AKIDENGINETEST',
  secretAccessKey: 'engine-test-secret',
} as const;

/** One publishScheduleFired call whose SigV4 signature checked out. */
export interface RecordedPublish {
  readonly input: FiredEvent;
  readonly query: string;
  readonly receivedAtMs: number;
}

/**
 * A stand-in for AppSync's GraphQL endpoint (AppSync itself cannot run here): it verifies each
 * request's SigV4 signature (service "appsync") with @smithy/signature-v4 and records each
 * publishScheduleFired input of it; `failNext` makes the next calls answer HTTP 500.
 */
export interface AppSyncRecorder {
  readonly url: string;
  readonly calls: RecordedPublish[];
  /** Requests refused because their signature did not verify. */
  readonly rejected: string[];
  failNext(count: number): void;
  stop(): Promise<void>;
}

function parseAmzDate(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (m === null) throw new Error(`x-amz-date is malformed; received ${text}`);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Re-signs the request as the client should have and compares the Authorization headers. */
async function verifySignature(
  signer: SignatureV4,
  request: IncomingMessage,
  body: string,
): Promise<boolean> {
  const authorization = request.headers.authorization ?? '';
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    headers[name] = String(request.headers[name] ?? '');
  }
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? ''}`);
  const expected = await signer.sign(
    new HttpRequest({
      method: request.method ?? 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      path: url.pathname,
      headers,
      body,
    }),
    { signingDate: parseAmzDate(String(request.headers['x-amz-date'] ?? '')) },
  );
  return authorization !== '' && expected.headers['authorization'] === authorization;
}

/** Starts the recorder on a free port. */
export async function startAppSyncRecorder(region = 'us-east-1'): Promise<AppSyncRecorder> {
  const signer = new SignatureV4({
    service: 'appsync',
    region,
    credentials: TEST_SIGNING_CREDENTIALS,
    sha256: Sha256,
  });
  const calls: RecordedPublish[] = [];
  const rejected: string[] = [];
  let failures = 0;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    if (!(await verifySignature(signer, request, body))) {
      rejected.push(request.headers.authorization ?? '(none)');
      response
        .writeHead(403)
        .end(JSON.stringify({ errors: [{ errorType: 'UnauthorizedException' }] }));
      return;
    }
    if (failures > 0) {
      failures -= 1;
      response.writeHead(500).end('injected failure');
      return;
    }
    // One unaliased publishScheduleFired per request, answered with its input as AppSync would.
    const parsed = JSON.parse(body) as { query: string; variables: Record<string, FiredEvent> };
    const receivedAtMs = Date.now();
    for (const input of Object.values(parsed.variables)) {
      calls.push({ input, query: parsed.query, receivedAtMs });
    }
    const input = parsed.variables['input'] ?? null;
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ data: { publishScheduleFired: input } }));
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(400).end(String(error));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    calls,
    rejected,
    failNext: (count) => {
      failures = count;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
