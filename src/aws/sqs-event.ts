import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** Where a queue lives, to fill the ARN and region fields Lambda puts on each record. */
export interface QueueIdentity {
  readonly queueArn: string;
  readonly region: string;
}

/** The ARN of a queue from its URL (`<endpoint>/<account>/<name>`), as Lambda reports it. */
export function queueArnFromUrl(queueUrl: string, region = 'us-east-1'): string {
  const [account = '000000000000', name = ''] = new URL(queueUrl).pathname.split('/').slice(-2);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

/**
 * Turns a ReceiveMessage result (received with MessageSystemAttributeNames ["All"]) into the
 * record Lambda's SQS event source would pass, so pollers outside Lambda call the same handler.
 */
export function sqsRecordFromMessage(message: Message, queue: QueueIdentity): SQSRecord {
  const attributes = message.Attributes ?? {};
  const now = String(Date.now());
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes['ApproximateReceiveCount'] ?? '1',
      SentTimestamp: attributes['SentTimestamp'] ?? now,
      SenderId: attributes['SenderId'] ?? '000000000000',
      ApproximateFirstReceiveTimestamp: attributes['ApproximateFirstReceiveTimestamp'] ?? now,
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queue.queueArn,
    awsRegion: queue.region,
  };
}

/** An SQS event holding these received messages, in order. */
export function sqsEventFromMessages(messages: readonly Message[], queue: QueueIdentity): SQSEvent {
  return { Records: messages.map((message) => sqsRecordFromMessage(message, queue)) };
}
