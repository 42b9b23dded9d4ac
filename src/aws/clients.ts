import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { HttpRequest } from '@smithy/protocol-http';
import type { RequestSigner } from '@smithy/types';

/** Where the AWS clients point: AWS itself (no endpoint) or local stand-ins. */
export interface AwsTarget {
  /** @default the SDK's own resolution (AWS_REGION), else us-east-1 */
  readonly region?: string;
  /** DynamoDB endpoint, e.g. dynalite's `http://127.0.0.1:4567`. @default AWS */
  readonly dynamoEndpoint?: string;
  /** SQS endpoint, e.g. fauxqs's `http://127.0.0.1:4566`. @default AWS */
  readonly sqsEndpoint?: string;
}

/** Dummy credentials for local stand-ins, which accept any signature. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * Local stand-ins accept any signature, so calls to them skip SigV4's hashing (a large share of
 * a call's CPU in profiles) and carry a well-formed placeholder instead: dynalite refuses a
 * request without an Authorization header naming Credential, SignedHeaders and Signature.
 */
const LOCAL_SIGNER: RequestSigner = {
  sign: (request, options) => {
    const signed = request as HttpRequest;
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const scope = `${amzDate.slice(0, 8)}/${options?.signingRegion ?? 'us-east-1'}/${options?.signingService ?? 'local'}`;
    signed.headers['x-amz-date'] = amzDate;
    signed.headers['authorization'] =
      `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/${scope}/aws4_request, ` +
      'SignedHeaders=host;x-amz-date, Signature=unsigned';
    return Promise.resolve(signed);
  },
};

/**
 * Sockets per client for the local stand-ins. The SDK's default of 50 queued a burst's claims
 * behind one another inside the client (over 200 waiting in profiles), and on the SQS client the
 * dispatcher's 32 long-polling receives hold 32 of the 50, leaving the output sends and deletes
 * 18. On loopback a socket costs little; AWS clients keep the SDK default.
 */
const LOCAL_MAX_SOCKETS = 256;

function clientOptions(endpoint: string | undefined, region: string | undefined) {
  const resolvedRegion = region ?? process.env['AWS_REGION'] ?? 'us-east-1';
  return endpoint === undefined
    ? { region: resolvedRegion }
    : {
        region: resolvedRegion,
        endpoint,
        credentials: LOCAL_CREDENTIALS,
        signer: LOCAL_SIGNER,
        requestHandler: { httpAgent: { maxSockets: LOCAL_MAX_SOCKETS } },
      };
}

/**
 * Our clients never set an SDK logger, yet the SDK's logger middleware builds a redacted copy
 * of every input and output for it; dropping the middleware saves that work on each call.
 */
function withoutLogging<Client extends DynamoDBClient | SQSClient>(client: Client): Client {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/** A DynamoDB client for the target. */
export function createDynamoClient(target: AwsTarget = {}): DynamoDBClient {
  return withoutLogging(
    new DynamoDBClient({
      ...clientOptions(target.dynamoEndpoint, target.region),
      maxAttempts: 5,
    }),
  );
}

/** An SQS client for the target. */
export function createSqsClient(target: AwsTarget = {}): SQSClient {
  return withoutLogging(
    new SQSClient({ ...clientOptions(target.sqsEndpoint, target.region), maxAttempts: 5 }),
  );
}
