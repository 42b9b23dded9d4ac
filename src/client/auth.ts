import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** How the client authenticates: an API key, a user-pool JWT, or IAM (SigV4, service "appsync"). */
export type ClientAuth =
  | { readonly type: 'apiKey'; readonly apiKey: string }
  | { readonly type: 'jwt'; readonly token: string | (() => Promise<string>) }
  | {
      readonly type: 'iam';
      /** @default process.env.AWS_REGION, else us-east-1 */
      readonly region?: string;
      /** @default the AWS SDK's default credential chain */
      readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
    };

async function resolveCredentials(auth: Extract<ClientAuth, { type: 'iam' }>) {
  if (typeof auth.credentials === 'function') return auth.credentials();
  if (auth.credentials !== undefined) return auth.credentials;
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return defaultProvider()();
}

/**
 * Headers that authenticate a POST of `body` to `url`: used for HTTP requests and, as AppSync's
 * real-time protocol requires, for the WebSocket handshake and each subscription start.
 */
export async function authHeaders(
  auth: ClientAuth,
  url: URL,
  body: string,
): Promise<Record<string, string>> {
  switch (auth.type) {
    case 'apiKey':
      return { host: url.host, 'x-api-key': auth.apiKey };
    case 'jwt':
      return {
        host: url.host,
        Authorization: typeof auth.token === 'string' ? auth.token : await auth.token(),
      };
    case 'iam': {
      const region = auth.region ?? process.env['AWS_REGION'] ?? 'us-east-1';
      const signer = new SignatureV4({
        service: 'appsync',
        region,
        credentials: await resolveCredentials(auth),
        sha256: Sha256,
      });
      const request = new HttpRequest({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        headers: {
          host: url.host,
          accept: 'application/json, text/javascript',
          'content-encoding': 'amz-1.0',
          'content-type': 'application/json; charset=UTF-8',
        },
        body,
      });
      const signed = await signer.sign(request);
      return signed.headers;
    }
  }
}
