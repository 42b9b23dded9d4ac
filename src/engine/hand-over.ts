import type { DelayQueue } from '../aws/delay-queue.js';
import type { LiveScheduleRef, ScheduleStore } from '../aws/schedule-store.js';
import { delaySecondsUntil } from '../domain/validation.js';
import { chunk, mapWithConcurrency } from './concurrency.js';
import { classifyLive, type SweepWindow } from './feeder-plan.js';
import { describeError, type EngineLogger } from './observability.js';
import type { EngineSettings } from './settings.js';

/**
 * How many schedules a hand-over sent, re-sent, re-delivered, left dead-lettered, failed to
 * send, or found finished meanwhile.
 */
export interface HandOverCounts {
  readonly sent: number;
  readonly resent: number;
  /** Stranded FIRING claims released and sent again. */
  readonly redelivered: number;
  /** FIRING claims left alone because their channels failed too often. */
  readonly deadLettered: number;
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
  readonly action: 'send' | 'resend' | 'redeliver';
}

/** No work done: the identity of {@link addHandOverCounts}. */
export const NO_COUNTS: HandOverCounts = {
  sent: 0,
  resent: 0,
  redelivered: 0,
  deadLettered: 0,
  sendFailed: 0,
  markSkipped: 0,
};

/** The sum of two hand-overs' counts. */
export function addHandOverCounts(a: HandOverCounts, b: HandOverCounts): HandOverCounts {
  return {
    sent: a.sent + b.sent,
    resent: a.resent + b.resent,
    redelivered: a.redelivered + b.redelivered,
    deadLettered: a.deadLettered + b.deadLettered,
    sendFailed: a.sendFailed + b.sendFailed,
    markSkipped: a.markSkipped + b.markSkipped,
  };
}

/**
 * Releases the stale claims of the batch's re-deliveries (so the new message can take them) and
 * keeps only the candidates still worth sending: a claim taken again meanwhile is on its way.
 */
async function releaseClaims(
  run: HandOverContext,
  batch: readonly Candidate[],
): Promise<{ ready: Candidate[]; skipped: number }> {
  const nowMs = run.clock();
  const kept = await Promise.all(
    batch.map(async (candidate) => {
      if (candidate.action !== 'redeliver') return true;
      const { ref } = candidate;
      try {
        return await run.store.releaseStaleClaim(ref, ref.claimedAt ?? '', nowMs);
      } catch (error) {
        run.logger.warn('Releasing a stale claim failed; it goes again next run', {
          id: ref.id,
          error: describeError(error),
        });
        return false;
      }
    }),
  );
  const ready = batch.filter((_, index) => kept[index]);
  return { ready, skipped: batch.length - ready.length };
}

/**
 * Sends one batch (one SendMessageBatch call) and marks every accepted hand-over QUEUED; a
 * re-delivered claim stays FIRING, released, for its new message to take.
 */
async function sendBatch(
  run: HandOverContext,
  candidates: readonly Candidate[],
): Promise<HandOverCounts> {
  const released = await releaseClaims(run, candidates);
  const batch = released.ready;
  if (batch.length === 0) return { ...NO_COUNTS, markSkipped: released.skipped };
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
    return { ...NO_COUNTS, sendFailed: batch.length, markSkipped: released.skipped };
  }
  for (const failure of result.failed) {
    run.logger.warn('SQS refused a hand-over; it goes again next run', { ...failure });
  }
  // Marked only after SQS accepted the message: a crash in between leaves the schedule PENDING,
  // so it is sent again (a duplicate the claim suppresses), never lost.
  const marked = await Promise.all(
    result.sent.map(async (id) => {
      const candidate = byId.get(id) as Candidate;
      if (candidate.action === 'redeliver') return { candidate, ok: true };
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
  const sentAs = (action: Candidate['action']) =>
    marked.filter((m) => m.candidate.action === action).length;
  return {
    sent: sentAs('send'),
    resent: sentAs('resend'),
    redelivered: sentAs('redeliver'),
    deadLettered: 0,
    sendFailed: result.failed.length,
    markSkipped: released.skipped + marked.filter((m) => !m.ok).length,
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
  let deadLettered = 0;
  for (const ref of refs) {
    const action = classifyLive(ref, window);
    if (action === 'dead') deadLettered += 1;
    else if (action === 'send' || action === 'resend' || action === 'redeliver') {
      candidates.push({ ref, action });
    }
  }
  const { sendBatchSize, sendConcurrency } = run.deps.settings;
  const results = await mapWithConcurrency(
    chunk(candidates, sendBatchSize),
    sendConcurrency,
    (batch) => sendBatch(run, batch),
  );
  return results.reduce(addHandOverCounts, { ...NO_COUNTS, deadLettered });
}
