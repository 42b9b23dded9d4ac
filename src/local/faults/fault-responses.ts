/*
 * Error responses shaped as DynamoDB and SQS send them over their JSON protocols, so the AWS SDK
 * parses them into its own exception classes and its retry strategy treats them as the real thing.
 */

/** Which service a proxied request speaks to, from its X-Amz-Target header. */
export type ProxiedService = 'dynamodb' | 'sqs' | 'other';

/** An HTTP response the proxy answers with instead of forwarding. */
export interface CannedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Reads the service from `x-amz-target` (`DynamoDB_20120810.PutItem`, `AmazonSQS.SendMessage`). */
export function serviceOf(target: string | undefined): ProxiedService {
  if (target?.startsWith('DynamoDB_') === true) return 'dynamodb';
  if (target?.startsWith('AmazonSQS.') === true) return 'sqs';
  return 'other';
}

function json(status: number, type: string, message: string, queryError?: string): CannedResponse {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': `fault-${Date.now().toString(36)}`,
      // SQS's JSON protocol is query-compatible: the SDK takes the legacy error code from here.
      ...(queryError === undefined ? {} : { 'x-amzn-query-error': queryError }),
    },
    body: JSON.stringify({ __type: type, message }),
  };
}

/**
 * A throttling answer: DynamoDB's ProvisionedThroughputExceededException or ThrottlingException
 * (alternating by `pick`), SQS's RequestThrottled; all HTTP 400 as AWS sends them.
 */
export function throttleResponse(service: ProxiedService, pick: number): CannedResponse {
  if (service === 'sqs') {
    return json(
      400,
      'com.amazonaws.sqs#RequestThrottled',
      'Rate exceeded (injected fault)',
      'RequestThrottled;Sender',
    );
  }
  return pick < 0.5
    ? json(
        400,
        'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        'The level of configured provisioned throughput for the table was exceeded (injected fault)',
      )
    : json(
        400,
        'com.amazonaws.dynamodb.v20120810#ThrottlingException',
        'Rate of requests exceeds the allowed throughput (injected fault)',
      );
}

/** A server-side failure: DynamoDB's InternalServerError (500), SQS's InternalError (500). */
export function serverErrorResponse(service: ProxiedService): CannedResponse {
  if (service === 'sqs') {
    return json(
      500,
      'com.amazonaws.sqs#InternalError',
      'We encountered an internal error. Please try again. (injected fault)',
      'InternalError;Receiver',
    );
  }
  return json(
    500,
    'com.amazonaws.dynamodb.v20120810#InternalServerError',
    'Internal server error (injected fault)',
  );
}
