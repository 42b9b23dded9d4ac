import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { PublishError } from '../engine/errors.js';
import type { FiredEvent } from '../engine/fired-event.js';
import type { FiredEventSink } from './output-queue.js';

/** The mutation the dispatcher announces a fired schedule with; subscribers get its selection. */
export const PUBLISH_SCHEDULE_FIRED = `mutation PublishScheduleFired($input: PublishScheduleFiredInput!) {
  publishScheduleFired(input: $input) { id owner dueAt firedAt latenessMs payload }
}`;

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

/** Announces fired schedules through the IAM-signed `publishScheduleFired` mutation. */
export class AppSyncPublisher implements FiredEventSink {
  readonly #url: URL;
  readonly #signer: SignatureV4;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: AppSyncPublisherOptions) {
    this.#url = new URL(options.url);
    const region =
      options.region ?? regionOfAppSyncUrl(this.#url) ?? process.env['AWS_REGION'] ?? 'us-east-1';
    this.#signer = new SignatureV4({
      service: 'appsync',
      region,
      credentials: options.credentials ?? defaultProvider(),
      sha256: Sha256,
    });
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Publishes one event; throws a {@link PublishError} on an HTTP or GraphQL error. */
  async send(event: FiredEvent): Promise<void> {
    const body = JSON.stringify({
      query: PUBLISH_SCHEDULE_FIRED,
      operationName: 'PublishScheduleFired',
      variables: { input: { ...event } },
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
      throw new PublishError(
        `publishScheduleFired for ${event.id} failed with HTTP ${response.status}: ${text.slice(0, 300)}`,
      );
    }
    const errors = parseGraphqlErrors(text);
    if (errors !== null) {
      throw new PublishError(`publishScheduleFired for ${event.id} returned errors: ${errors}`);
    }
  }
}

/** The GraphQL errors of a response as one line (type and message each), or null when none. */
function parseGraphqlErrors(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) {
    return null;
  }
  return errors
    .map((error: { errorType?: unknown; message?: unknown }) =>
      `${String(error.errorType ?? 'Error')}: ${String(error.message ?? '')}`.slice(0, 200),
    )
    .join('; ');
}
