import type { DelayQueue } from '../aws/delay-queue.js';
import type { LiveScheduleRef, ScheduleStore } from '../aws/schedule-store.js';
import { delaySecondsUntil } from '../domain/validation.js';
import { chunk, mapWithConcurrency } from './concurrency.js';
import { classifyLive, type SweepWindow } from './feeder-plan.js';
import { describeError, type EngineLogger } from './observability.js';
import type { EngineSettings } from './settings.js';

/** How many schedules a hand-over sent, re-sent, failed to send, or found finished meanwhile. */
export interface HandOverCounts {
  readonly sent: number;
  readonly resent: number;
  /** Refused or unsent entries; they stay PENDING/stranded and go again next run. */
  readonly sendFailed: number;
  /** Sent, then found cancelled or fired before they could be marked QUEUED. */
  readonly markSkipped: number;
}

/** What a hand-over needs from its feeder run. */
export interface HandOverContext {
  readonly deps: { readonly settings: EngineSettings };
  readonly store: ScheduleStore;
  readonly queue: DelayQueue;
  readonly logger: EngineLogger;
  readonly clock: () => number;
}

interface Candidate {
  readonly ref: LiveScheduleRef;
  readonly resend: boolean;
}

/** Sends one batch (one SendMessageBatch call) and marks every accepted schedule QUEUED. */
async function sendBatch(
  run: HandOverContext,
  batch: readonly Candidate[],
): Promise<HandOverCounts> {
  const nowMs = run.clock();
  const byId = new Map(batch.map((candidate) => [candidate.ref.id, candidate]));
  let result;
  try {
    result = await run.queue.sendBatch(
      batch.map(({ ref }) => ({
        id: ref.id,
        delaySeconds: delaySecondsUntil(Date.parse(ref.dueAt), nowMs),
      })),
    );
  } catch (error) {
    run.logger.error('SendMessageBatch failed; the schedules go again next run', {
      ids: [...byId.keys()],
      error: describeError(error),
    });
    return { sent: 0, resent: 0, sendFailed: batch.length, markSkipped: 0 };
  }
  for (const failure of result.failed) {
    run.logger.warn('SQS refused a hand-over; it goes again next run', { ...failure });
  }
  // Marked only after SQS accepted the message: a crash in between leaves the schedule PENDING,
  // so it is sent again (a duplicate the claim suppresses), never lost.
  const marked = await Promise.all(
    result.sent.map(async (id) => {
      const candidate = byId.get(id) as Candidate;
      try {
        return { candidate, ok: await run.store.markQueued(candidate.ref, nowMs) };
      } catch (error) {
        run.logger.warn('Marking a schedule QUEUED failed; it may be sent again', {
          id,
          error: describeError(error),
        });
        return { candidate, ok: true };
      }
    }),
  );
  return {
    sent: marked.filter((m) => !m.candidate.resend).length,
    resent: marked.filter((m) => m.candidate.resend).length,
    sendFailed: result.failed.length,
    markSkipped: marked.filter((m) => !m.ok).length,
  };
}

/**
 * Hands the page's due and stranded schedules to the delay queue, in due order, in batches with
 * several calls in flight; each message carries its own DelaySeconds.
 */
export async function handOver(
  run: HandOverContext,
  refs: readonly LiveScheduleRef[],
  window: SweepWindow,
): Promise<HandOverCounts> {
  const candidates: Candidate[] = [];
  for (const ref of refs) {
    const action = classifyLive(ref, window);
    if (action !== 'wait') candidates.push({ ref, resend: action === 'resend' });
  }
  const { sendBatchSize, sendConcurrency } = run.deps.settings;
  const results = await mapWithConcurrency(
    chunk(candidates, sendBatchSize),
    sendConcurrency,
    (batch) => sendBatch(run, batch),
  );
  return results.reduce(
    (total, r) => ({
      sent: total.sent + r.sent,
      resent: total.resent + r.resent,
      sendFailed: total.sendFailed + r.sendFailed,
      markSkipped: total.markSkipped + r.markSkipped,
    }),
    { sent: 0, resent: 0, sendFailed: 0, markSkipped: 0 },
  );
}
