/* The dispatcher's pure decisions: reading a delay-queue message and timing its claim. */
import { parseScheduleId, type ParsedScheduleId } from '../domain/ids.js';
import { SUPERSEDE_SETTLE_SECONDS, type ScheduleItem } from '../domain/schedule-item.js';
import { Status } from '../domain/status.js';
import { delaySecondsUntil } from '../domain/validation.js';

/** What to do with a message for a schedule due at a given time. */
export type HoldPlan =
  | { readonly kind: 'fire' }
  | { readonly kind: 'hold'; readonly ms: number }
  | { readonly kind: 'redelay'; readonly delaySeconds: number };

/**
 * Due now or past: fire. Due within `maxHoldMs`: hold until the due millisecond, since SQS
 * delays are whole seconds. Due later (a re-send or a clock skew): put it back with a new delay
 * instead of keeping a Lambda busy.
 */
export function planHold(dueAtMs: number, nowMs: number, maxHoldMs: number): HoldPlan {
  const remaining = dueAtMs - nowMs;
  if (remaining <= 0) {
    return { kind: 'fire' };
  }
  if (remaining <= maxHoldMs) {
    return { kind: 'hold', ms: remaining };
  }
  return { kind: 'redelay', delaySeconds: Math.max(1, delaySecondsUntil(dueAtMs, nowMs)) };
}

/** A delay-queue message that names one of our schedule ids. */
export interface ParsedDelayMessage extends ParsedScheduleId {
  readonly id: string;
}

/** Parses a delay-queue body `{"id": "<schedule id>"}`; an error message names what is wrong. */
export function parseDelayMessage(
  body: string,
): { ok: true; value: ParsedDelayMessage } | { ok: false; message: string } {
  const received = `received ${JSON.stringify(body.slice(0, 200))}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, message: `Delay-queue message body is not JSON; ${received}` };
  }
  const id = (parsed as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') {
    return {
      ok: false,
      message: `Delay-queue message must be {"id": "<schedule id>"}; ${received}`,
    };
  }
  const fields = parseScheduleId(id);
  if (fields === null) {
    return { ok: false, message: `Delay-queue message id is not a schedule id; ${received}` };
  }
  return { ok: true, value: { id, ...fields } };
}

/** What to do with an unconfirmed replacement (an item with `supersedes`) whose claim lost. */
export type SupersedePlan =
  | { readonly kind: 'confirm' }
  | { readonly kind: 'void' }
  | { readonly kind: 'retry'; readonly delaySeconds: number };

/** Longest wait between two looks at a replacement whose reschedule is still in progress. */
export const SUPERSEDE_RETRY_MAX_SECONDS = 10;

/**
 * The replacement is valid once its old schedule is RESCHEDULED to it: confirm it and claim.
 * Otherwise the reschedule may still be running, until SUPERSEDE_SETTLE_SECONDS after the
 * replacement was written (no AppSync request lives that long); after that it can never be
 * confirmed, so it is void. Until then, look again after a wait that grows with its age (half
 * of it, 1 to {@link SUPERSEDE_RETRY_MAX_SECONDS} s, never much past the settle time), so a
 * stuck one costs about a dozen messages, not sixty.
 */
export function planSupersede(
  replacement: Pick<ScheduleItem, 'id' | 'createdAt'>,
  old: Pick<ScheduleItem, 'status' | 'rescheduledTo'> | null,
  nowMs: number,
): SupersedePlan {
  if (old?.status === Status.rescheduled && old.rescheduledTo === replacement.id) {
    return { kind: 'confirm' };
  }
  const settledAtMs = Date.parse(replacement.createdAt) + SUPERSEDE_SETTLE_SECONDS * 1000;
  // An unreadable createdAt cannot be waited on: treat it as settled.
  if (!Number.isFinite(settledAtMs) || nowMs > settledAtMs) {
    return { kind: 'void' };
  }
  const ageSeconds = (nowMs - (settledAtMs - SUPERSEDE_SETTLE_SECONDS * 1000)) / 1000;
  const untilSettledSeconds = Math.ceil((settledAtMs - nowMs) / 1000);
  const delaySeconds = Math.max(
    1,
    Math.min(Math.ceil(ageSeconds / 2), SUPERSEDE_RETRY_MAX_SECONDS, untilSettledSeconds),
  );
  return { kind: 'retry', delaySeconds };
}
