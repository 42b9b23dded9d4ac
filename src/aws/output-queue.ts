import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FiredEvent } from '../engine/fired-event.js';

/** Where fired schedules go for back-end consumers. */
export interface FiredEventSink {
  /** Delivers one fired event; throws when it could not. */
  send(event: FiredEvent): Promise<void>;
}

/** The output SQS queue: one message per fired schedule, body {id, owner, dueAt, firedAt, latenessMs, payload}. */
export class OutputQueue implements FiredEventSink {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(event: FiredEvent): Promise<void> {
    const body = {
      id: event.id,
      owner: event.owner,
      dueAt: event.dueAt,
      firedAt: event.firedAt,
      latenessMs: event.latenessMs,
      payload: event.payload,
    };
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(body) }),
    );
  }
}
