import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { PublishError } from '../engine/errors.js';
import type { FiredEvent } from '../engine/fired-event.js';
import { NodeSha256 } from './node-sha256.js';
import type { FiredEventSink } from './output-queue.js';

/**
 * The mutation announcing one fired schedule, in the form AWS documents for triggering a
 * subscription: one unaliased `publishScheduleFired` field whose selection has no aliases
 * either. Public reports show AppSync not publishing, or publishing null fields, when the
 * trigger field or its selections are aliased (aws/aws-appsync-community#160), so events are
 * never batched into one request as aliased fields.
 */
export const PUBLISH_SCHEDULE_FIRED =
  'mutation PublishScheduleFired($input: PublishScheduleFiredInput!) ' +
  '{ publishScheduleFired(input: $input) { id owner dueAt firedAt latenessMs payload key labels } }';

/** Credentials SignatureV4 accepts: a fixed identity or a provider of one. */
export type SigningCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

/** How to reach and sign for the AppSync API. */
export interface AppSyncPublisherOptions {
  /** The GraphQL endpoint, e.g. `https://<id>.appsync-api.<region>.amazonaws.com/graphql`. */
  readonly url: string;
  /** @default the region in an AppSync host name, else AWS_REGION, else us-east-1 */
  readonly region?: string;
  /** @default the Node.js default credential chain (the Lambda role in the cloud) */
  readonly credentials?: SigningCredentials;
  /**
   * Replaces the transport (tests). @default a node:http(s) request over the publisher's own
   * keep-alive agent with one socket per concurrency slot
   */
  readonly fetch?: typeof fetch;
  /** Abandons a call after this long, counted from when it is sent. @default 5000 */
  readonly timeoutMs?: number;
  /**
   * Requests in flight at once; further events wait for a free slot (they do not fail), so a
   * backlog reuses a few kept-alive connections instead of opening one per event.
   * @default 16 (the engine's PUBLISH_CONCURRENCY)
   */
  readonly maxConcurrency?: number;
}

/** The region an AppSync endpoint lives in, from its host name when it is AppSync's own. */
export function regionOfAppSyncUrl(url: URL): string | undefined {
  return /\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1];
}

/** A counting semaphore: `run` waits for one of `limit` slots, in arrival order. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = limit;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so a late arrival cannot jump the queue.
      const next = this.#waiting.shift();
      if (next === undefined) this.#free += 1;
      else next();
    }
  }
}

/**
 * Announces fired schedules through the IAM-signed `publishScheduleFired` mutation: one
 * request per event, at most `maxConcurrency` in flight.
 */
export class AppSyncPublisher implements FiredEventSink {
  readonly #url: URL;
  readonly #signer: SignatureV4;
  readonly #post: Post;
  readonly #timeoutMs: number;
  readonly #slots: Slots;

  constructor(options: AppSyncPublisherOptions) {
    const limit = options.maxConcurrency ?? 16;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`maxConcurrency must be a positive integer; received ${limit}`);
    }
    this.#url = new URL(options.url);
    const region =
      options.region ?? regionOfAppSyncUrl(this.#url) ?? process.env['AWS_REGION'] ?? 'us-east-1';
    this.#signer = new SignatureV4({
      service: 'appsync',
      region,
      credentials: options.credentials ?? defaultProvider(),
      sha256: NodeSha256,
    });
    this.#post =
      options.fetch === undefined ? keepAlivePost(this.#url, limit) : fetchPost(options.fetch);
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#slots = new Slots(limit);
  }

  /** Publishes one event; throws a {@link PublishError} on an HTTP or GraphQL error. */
  send(event: FiredEvent): Promise<void> {
    return this.#slots.run(() => this.#publish(event));
  }

  async #publish(event: FiredEvent): Promise<void> {
    const body = JSON.stringify({
      query: PUBLISH_SCHEDULE_FIRED,
      operationName: 'PublishScheduleFired',
      variables: { input: { ...event } },
    });
    // Signed once a slot is free, so a long wait cannot age the signature.
    const signed = await this.#signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: this.#url.protocol,
        hostname: this.#url.hostname,
        ...(this.#url.port === '' ? {} : { port: Number(this.#url.port) }),
        path: this.#url.pathname,
        headers: { host: this.#url.host, 'content-type': 'application/json' },
        body,
      }),
    );
    let answer: { status: number; text: string };
    try {
      answer = await this.#post(this.#url, signed.headers, body, this.#timeoutMs);
    } catch (error) {
      throw new PublishError(
        `publishScheduleFired for ${event.id} could not reach ${this.#url.origin}: ${(error as Error).message}`,
      );
    }
    const { status, text } = answer;
    if (status < 200 || status > 299) {
      throw new PublishError(
        `publishScheduleFired for ${event.id} failed with HTTP ${status}: ${text.slice(0, 300)}`,
      );
    }
    const problem = problemOf(text);
    if (problem !== undefined) {
      throw new PublishError(`publishScheduleFired for ${event.id} ${problem}`);
    }
  }
}

/** Posts `body` and resolves with the status and the whole response text. */
type Post = (
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
) => Promise<{ status: number; text: string }>;

/**
 * node:http(s) over a keep-alive agent with `sockets` sockets. Measured against a local
 * server, 16 slots and 1,000 events: undici's fetch opened 30 sockets for 16 requests in
 * flight (a slot is freed before undici returns the socket to its pool) and took twice the
 * time; this agent opened exactly 16 and reused them.
 */
function keepAlivePost(url: URL, sockets: number): Post {
  const secure = url.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: sockets })
    : new HttpAgent({ keepAlive: true, maxSockets: sockets });
  const send = secure ? httpsRequest : httpRequest;
  return (target, headers, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const signal = AbortSignal.timeout(timeoutMs);
      const outgoing = send(target, { method: 'POST', headers, agent, signal }, (response) => {
        readText(response).then(
          (text) => resolve({ status: response.statusCode ?? 0, text }),
          reject,
        );
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The same over a `fetch` function. */
function fetchPost(fetchImpl: typeof fetch): Post {
  return async (url, headers, body, timeoutMs) => {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  };
}

interface GraphqlError {
  errorType?: unknown;
  message?: unknown;
}

/** What is wrong with a GraphQL answer to the mutation, or undefined when it published. */
function problemOf(text: string): string | undefined {
  let parsed: { data?: { publishScheduleFired?: unknown } | null; errors?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return `returned a body that is not JSON: ${text.slice(0, 200)}`;
  }
  if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
    const described = (parsed.errors as GraphqlError[])
      .map((error) =>
        `${String(error.errorType ?? 'Error')}: ${String(error.message ?? '')}`.slice(0, 200),
      )
      .join('; ');
    return `returned errors: ${described}`;
  }
  const published = parsed.data?.publishScheduleFired;
  if (published === null || published === undefined) {
    return `returned no data: ${text.slice(0, 200)}`;
  }
  return undefined;
}
