import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DelayMessage } from '../domain/schedule-item.js';

/** One schedule to hand to the delay queue. */
export interface DelayEntry {
  readonly id: string;
  /** Whole seconds, 0 to 900. */
  readonly delaySeconds: number;
}

/** Which entries of a batch SQS accepted and which it refused. */
export interface DelayBatchResult {
  readonly sent: readonly string[];
  readonly failed: readonly { readonly id: string; readonly reason: string }[];
}

/** The delay queue: messages `{"id"}` that become visible when their schedule is (nearly) due. */
export class DelayQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Sends up to 10 entries in one SendMessageBatch call, each with its own DelaySeconds. */
  async sendBatch(entries: readonly DelayEntry[]): Promise<DelayBatchResult> {
    const result = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: entries.map((entry, index) => ({
          Id: String(index),
          MessageBody: delayMessageBody(entry.id),
          DelaySeconds: entry.delaySeconds,
        })),
      }),
    );
    const idOf = (entryId: string | undefined) => entries[Number(entryId)]?.id ?? '';
    return {
      sent: (result.Successful ?? []).map((ok) => idOf(ok.Id)),
      failed: (result.Failed ?? []).map((bad) => ({
        id: idOf(bad.Id),
        reason: `${bad.Code ?? 'Unknown'}: ${bad.Message ?? ''}`,
      })),
    };
  }

  /** Sends one message; returns its SQS message id. */
  async send(entry: DelayEntry): Promise<string> {
    const result = await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: delayMessageBody(entry.id),
        DelaySeconds: entry.delaySeconds,
      }),
    );
    return result.MessageId ?? '';
  }
}

/** The body of a delay-queue message. */
export function delayMessageBody(id: string): string {
  const message: DelayMessage = { id };
  return JSON.stringify(message);
}
