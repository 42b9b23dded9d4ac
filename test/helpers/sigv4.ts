import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** SigV4 headers (service "appsync") for a JSON POST of `body` to `graphqlUrl`, as IAM callers send. */
export async function signAppSyncPost(
  graphqlUrl: string,
  body: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  signingDate: Date = new Date(),
): Promise<Record<string, string>> {
  const url = new URL(graphqlUrl);
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 'appsync',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    }),
    { signingDate },
  );
  return signed.headers;
}
