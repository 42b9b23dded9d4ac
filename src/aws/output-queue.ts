import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FiredEvent } from '../engine/fired-event.js';

/** Where fired schedules go for back-end consumers. */
export interface FiredEventSink {
  /** Delivers one fired event; throws when it could not. */
  send(event: FiredEvent): Promise<void>;
}

interface PendingSend {
  readonly body: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** SQS takes at most 10 messages per SendMessageBatch call. */
const MAX_BATCH = 10;

/**
 * The output SQS queue: one message per fired schedule, body
 * `{id, owner, dueAt, firedAt, latenessMs, payload}`. Sends made in the same event-loop turn
 * (a backlogged batch of claims) share SendMessageBatch calls, which costs a tenth of the
 * requests; each caller still learns whether its own message was accepted.
 */
export class OutputQueue implements FiredEventSink {
  #pending: PendingSend[] = [];
  #scheduled = false;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  send(event: FiredEvent): Promise<void> {
    const body = JSON.stringify({
      id: event.id,
      owner: event.owner,
      dueAt: event.dueAt,
      firedAt: event.firedAt,
      latenessMs: event.latenessMs,
      payload: event.payload,
    });
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ body, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    this.#scheduled = false;
    for (let start = 0; start < pending.length; start += MAX_BATCH) {
      void this.#sendBatch(pending.slice(start, start + MAX_BATCH));
    }
  }

  async #sendBatch(batch: readonly PendingSend[]): Promise<void> {
    try {
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((entry, index) => ({ Id: String(index), MessageBody: entry.body })),
        }),
      );
      const accepted = new Set((result.Successful ?? []).map((ok) => Number(ok.Id)));
      const refused = new Map((result.Failed ?? []).map((bad) => [Number(bad.Id), bad]));
      batch.forEach((entry, index) => {
        if (accepted.has(index)) return entry.resolve();
        const bad = refused.get(index);
        entry.reject(
          new Error(
            `The output queue refused the message: ${bad?.Code ?? 'no result'}: ${bad?.Message ?? ''}`,
          ),
        );
      });
    } catch (error) {
      for (const entry of batch) {
        entry.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
