import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsCredentialIdentity } from '@smithy/types';

/** A data source the local runtime can execute, keyed by name in the manifest. */
export type DataSourceConfig =
  | { type: 'AMAZON_DYNAMODB'; tableName: string; client: DynamoDBClient }
  | {
      type: 'HTTP';
      endpoint: string;
      signing?: { service: string; region: string; credentials: AwsCredentialIdentity };
    }
  | { type: 'NONE' };

/** `ctx.error` after a failed data source call, as AppSync sets it. */
export interface DataSourceError {
  message: string;
  type: string;
}

/** What a data source call produced: `ctx.result`, or `ctx.error` with a null result. */
export interface DataSourceResult {
  result: unknown;
  error: DataSourceError | null;
}
