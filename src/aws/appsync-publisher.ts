import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { PublishError } from '../engine/errors.js';
import type { FiredEvent } from '../engine/fired-event.js';
import { NodeSha256 } from './node-sha256.js';
import type { FiredEventSink } from './output-queue.js';
import { TurnBatcher } from './turn-batcher.js';

const FIRED_SELECTION = '{ id owner dueAt firedAt latenessMs payload }';

/**
 * The mutation announcing `count` fired schedules at once: one aliased `publishScheduleFired`
 * field per event (`e0`, `e1`, ...), each of which AppSync publishes to subscribers on its own.
 */
export function publishScheduleFiredDocument(count: number): string {
  const indexes = Array.from({ length: count }, (_, index) => index);
  const variables = indexes.map((i) => `$e${i}: PublishScheduleFiredInput!`).join(', ');
  const fields = indexes
    .map((i) => `e${i}: publishScheduleFired(input: $e${i}) ${FIRED_SELECTION}`)
    .join(' ');
  return `mutation PublishScheduleFired(${variables}) { ${fields} }`;
}

/**
 * Events per request: ten aliases stay under the local endpoint's alias limit (20), and the
 * size cap (payloads are at most MAX_PAYLOAD_BYTES each) keeps a request body small.
 */
const BATCH_LIMITS = {
  maxItems: 10,
  maxSize: 512 * 1024,
  sizeOf: (event: FiredEvent) => Buffer.byteLength(event.payload),
};

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
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Abandons a call after this long. @default 5000 */
  readonly timeoutMs?: number;
}

/** The region an AppSync endpoint lives in, from its host name when it is AppSync's own. */
export function regionOfAppSyncUrl(url: URL): string | undefined {
  return /\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1];
}

/**
 * Announces fired schedules through the IAM-signed `publishScheduleFired` mutation. Events
 * sent in the same event-loop turn share one request (one aliased field each).
 */
export class AppSyncPublisher implements FiredEventSink {
  readonly #url: URL;
  readonly #signer: SignatureV4;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #batcher = new TurnBatcher(BATCH_LIMITS, (events) => this.#publish(events));

  constructor(options: AppSyncPublisherOptions) {
    this.#url = new URL(options.url);
    const region =
      options.region ?? regionOfAppSyncUrl(this.#url) ?? process.env['AWS_REGION'] ?? 'us-east-1';
    this.#signer = new SignatureV4({
      service: 'appsync',
      region,
      credentials: options.credentials ?? defaultProvider(),
      sha256: NodeSha256,
    });
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Publishes one event; throws a {@link PublishError} on an HTTP or GraphQL error. */
  send(event: FiredEvent): Promise<void> {
    return this.#batcher.submit(event);
  }

  /** One request for the batch; the outcome of each event is read from its alias. */
  async #publish(events: readonly FiredEvent[]): Promise<(PublishError | undefined)[]> {
    const variables = Object.fromEntries(events.map((event, i) => [`e${i}`, { ...event }]));
    const body = JSON.stringify({
      query: publishScheduleFiredDocument(events.length),
      operationName: 'PublishScheduleFired',
      variables,
    });
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
    const response = await this.#fetch(this.#url, {
      method: 'POST',
      headers: signed.headers,
      body,
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      return events.map(
        (event) =>
          new PublishError(
            `publishScheduleFired for ${event.id} failed with HTTP ${response.status}: ${text.slice(0, 300)}`,
          ),
      );
    }
    const outcome = parseResponse(text);
    return events.map((event, i) => {
      const errors = outcome.errorsByAlias.get(`e${i}`) ?? outcome.requestErrors;
      if (errors !== undefined) {
        return new PublishError(`publishScheduleFired for ${event.id} returned errors: ${errors}`);
      }
      const published = outcome.data?.[`e${i}`];
      if (published === null || published === undefined) {
        return new PublishError(`publishScheduleFired for ${event.id} returned no data`);
      }
      return undefined;
    });
  }
}

interface GraphqlError {
  errorType?: unknown;
  message?: unknown;
  path?: unknown;
}

interface PublishResponse {
  readonly data: Record<string, unknown> | null;
  /** Errors of one aliased field, as one line. */
  readonly errorsByAlias: Map<string, string>;
  /** Errors not tied to a field (e.g. validation), which fail every event; else undefined. */
  readonly requestErrors: string | undefined;
}

function describe(errors: readonly GraphqlError[]): string {
  return errors
    .map((error) =>
      `${String(error.errorType ?? 'Error')}: ${String(error.message ?? '')}`.slice(0, 200),
    )
    .join('; ');
}

/** Splits a GraphQL response into data and errors, by the alias each error's path starts at. */
function parseResponse(text: string): PublishResponse {
  let parsed: { data?: unknown; errors?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return {
      data: null,
      errorsByAlias: new Map(),
      requestErrors: `a body that is not JSON: ${text.slice(0, 200)}`,
    };
  }
  const errors = Array.isArray(parsed.errors) ? (parsed.errors as GraphqlError[]) : [];
  const byAlias = new Map<string, GraphqlError[]>();
  const unplaced: GraphqlError[] = [];
  for (const error of errors) {
    const alias = Array.isArray(error.path) ? error.path[0] : undefined;
    if (typeof alias === 'string') byAlias.set(alias, [...(byAlias.get(alias) ?? []), error]);
    else unplaced.push(error);
  }
  const data =
    typeof parsed.data === 'object' && parsed.data !== null
      ? (parsed.data as Record<string, unknown>)
      : null;
  return {
    data,
    errorsByAlias: new Map([...byAlias].map(([alias, list]) => [alias, describe(list)])),
    requestErrors: unplaced.length > 0 ? describe(unplaced) : undefined,
  };
}
