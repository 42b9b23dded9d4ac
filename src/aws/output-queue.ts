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
 * JSON text with every character outside printable ASCII written as a `\uXXXX` escape (astral
 * characters as their surrogate pair), so the body holds only characters SQS accepts
 * (#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF) whatever the payload holds, and a
 * consumer's JSON.parse gives back the exact strings, lone surrogates and U+FFFE included.
 */
export function asciiJson(value: unknown): string {
  // Without the u flag the pattern sees UTF-16 code units, so an astral character becomes its pair.
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The output SQS queue: one message per fired schedule, body
 * `{id, owner, dueAt, firedAt, latenessMs, payload, key, labels}` as ASCII-only JSON ({@link asciiJson}).
 * Sends made in the same event-loop turn share SendMessageBatch calls, which costs a tenth of
 * the requests.
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
      asciiJson({
        id: event.id,
        owner: event.owner,
        dueAt: event.dueAt,
        firedAt: event.firedAt,
        latenessMs: event.latenessMs,
        payload: event.payload,
        key: event.key,
        labels: event.labels,
      }),
    );
  }
}
