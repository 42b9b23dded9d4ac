import { setMaxListeners } from 'node:events';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createLambdaContext } from './lambda-context.js';

/** An SQS-triggered Lambda handler reporting partial batch failures. */
export type SqsBatchHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | void>;

/** Options of {@link startSqsEventSource}. */
export interface SqsEventSourceOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsBatchHandler;
  readonly functionName: string;
  /** Messages per batch (SQS max 10 a receive). @default 10 */
  readonly batchSize?: number;
  /** Concurrent pollers, like the mapping's concurrent batches. @default 4 */
  readonly pollers?: number;
  /** Long-poll wait of each ReceiveMessage. @default 20 */
  readonly waitTimeSeconds?: number;
  /** The handler's deadline, as the function timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** Told about failures the mapping survives (receive errors, handler crashes). */
  readonly onError?: (message: string, error: unknown) => void;
  /** Told after each batch: how many messages succeeded and failed. */
  readonly onBatch?: (succeeded: number, failed: number) => void;
}

/** A running event source mapping. */
export interface SqsEventSource {
  /** Stops polling, waits for in-flight batches to finish and settle, and returns. */
  stop(): Promise<void>;
}

function queueArn(queueUrl: string): string {
  const name = queueUrl.split('/').pop() ?? queueUrl;
  return `arn:aws:sqs:us-east-1:000000000000:${name}`;
}

/** Shapes received messages as the SQS event Lambda passes to its handler. */
export function toSqsEvent(messages: readonly Message[], queueUrl: string): SQSEvent {
  const arn = queueArn(queueUrl);
  const Records: SQSRecord[] = messages.map((message) => ({
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
      SenderId: message.Attributes?.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp:
        message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: 'us-east-1',
  }));
  return { Records };
}

/** Which messages succeeded: all but the reported failures; none when the handler threw. */
function succeededMessages(messages: readonly Message[], response: SQSBatchResponse | void) {
  const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  return messages.filter((message) => !failed.has(message.MessageId ?? ''));
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'AbortError' || error.name === 'RequestAbortedError')
  );
}

/**
 * Emulates Lambda's SQS event source mapping: several pollers long-poll batches, invoke the
 * handler, delete the messages it did not report as failed (DeleteMessageBatch), and leave the
 * failed ones to reappear after the visibility timeout.
 */
export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const abort = new AbortController();
  // Every poller's in-flight receive listens on this one signal.
  setMaxListeners((options.pollers ?? 4) + 10, abort.signal);
  const report = options.onError ?? (() => undefined);
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const invoke = async (messages: Message[]) => {
    let response: SQSBatchResponse | void;
    try {
      const context = createLambdaContext(options.functionName, options.timeoutMs ?? 30_000);
      response = await options.handler(toSqsEvent(messages, options.queueUrl), context);
    } catch (error) {
      report(`${options.functionName} failed a batch of ${messages.length}`, error);
      options.onBatch?.(0, messages.length);
      return;
    }
    const done = succeededMessages(messages, response);
    options.onBatch?.(done.length, messages.length - done.length);
    if (done.length === 0) return;
    const Entries = done.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle }));
    await options.client.send(
      new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries }),
    );
  };

  const poll = async () => {
    while (!abort.signal.aborted) {
      let messages: Message[];
      try {
        const received = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize ?? 10,
            WaitTimeSeconds: options.waitTimeSeconds ?? 20,
            MessageSystemAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (abort.signal.aborted || isAbort(error)) return;
        report(`receiving from ${options.queueUrl} failed`, error);
        await pause(1000);
        continue;
      }
      if (messages.length > 0)
        await invoke(messages).catch((error) => report('deleting failed', error));
    }
  };

  const loops = Array.from({ length: options.pollers ?? 4 }, () => poll());
  return {
    stop: async () => {
      abort.abort();
      await Promise.all(loops);
    },
  };
}
