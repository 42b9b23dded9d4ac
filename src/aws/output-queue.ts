import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FiredEvent } from '../engine/fired-event.js';
import { TurnBatcher } from './turn-batcher.js';

/** Where fired schedules go for back-end consumers. */
export interface FiredEventSink {
  /** Delivers one fired event; throws when it could not. */
  send(event: FiredEvent): Promise<void>;
}

/** SendMessageBatch takes at most 10 messages and 256 KiB (1 MiB on newer queues) in all. */
const BATCH_LIMITS = {
  maxItems: 10,
  maxSize: 256 * 1024,
  sizeOf: (body: string) => Buffer.byteLength(body),
};

/**
 * The output SQS queue: one message per fired schedule, body
 * `{id, owner, dueAt, firedAt, latenessMs, payload}`. Sends made in the same event-loop turn
 * share SendMessageBatch calls, which costs a tenth of the requests.
 */
export class OutputQueue implements FiredEventSink {
  readonly #batcher: TurnBatcher<string>;

  constructor(client: SQSClient, queueUrl: string) {
    this.#batcher = new TurnBatcher(BATCH_LIMITS, async (bodies) => {
      const result = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
        }),
      );
      const accepted = new Set((result.Successful ?? []).map((ok) => Number(ok.Id)));
      const refused = new Map((result.Failed ?? []).map((bad) => [Number(bad.Id), bad]));
      return bodies.map((_, index) => {
        if (accepted.has(index)) return undefined;
        const bad = refused.get(index);
        return new Error(
          `The output queue refused the message: ${bad?.Code ?? 'no result'}: ${bad?.Message ?? ''}`,
        );
      });
    });
  }

  send(event: FiredEvent): Promise<void> {
    return this.#batcher.submit(
      JSON.stringify({
        id: event.id,
        owner: event.owner,
        dueAt: event.dueAt,
        firedAt: event.firedAt,
        latenessMs: event.latenessMs,
        payload: event.payload,
      }),
    );
  }
}
