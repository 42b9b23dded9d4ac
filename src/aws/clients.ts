import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

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

function localOptions(endpoint: string | undefined, region: string | undefined) {
  const resolvedRegion = region ?? process.env['AWS_REGION'] ?? 'us-east-1';
  return endpoint === undefined
    ? { region: resolvedRegion }
    : { region: resolvedRegion, endpoint, credentials: LOCAL_CREDENTIALS };
}

/** A DynamoDB client for the target. */
export function createDynamoClient(target: AwsTarget = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...localOptions(target.dynamoEndpoint, target.region),
    maxAttempts: 5,
  });
}

/** An SQS client for the target. */
export function createSqsClient(target: AwsTarget = {}): SQSClient {
  return new SQSClient({ ...localOptions(target.sqsEndpoint, target.region), maxAttempts: 5 });
}
