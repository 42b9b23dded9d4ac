/* The dispatcher's pure decisions: reading a delay-queue message and timing its claim. */
import { parseScheduleId, type ParsedScheduleId } from '../domain/ids.js';
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
