/* What `rescheduleSchedule`'s steps share, and the rules for its arguments. */
import {
  ErrorType,
  fail,
  fractionDigits,
  isoFromEpochMs,
  ok,
  parseAwsDateTime,
  type Result,
  type ScheduleItem,
  type ScheduleKey,
  type SchedulerSettings,
} from '../../src/domain/index.js';
import type { KeyLookup } from './key-lookup.js';

/** What `rescheduleSchedule`'s pipeline steps share through `ctx.stash`. */
export interface RescheduleStash {
  readonly owner: string;
  /** The new due time (epoch ms) and whether it is on the fast path. */
  readonly dueAtMs: number;
  /** The id argument's key (by id), read by step 1. */
  idKey?: ScheduleKey;
  /** The id argument, for messages. */
  id?: string;
  /** The key lookup (by key, or by id once the schedule read carries a key). */
  lookup?: KeyLookup;
  /** Key of the schedule the key record names (by key), read by step 3. */
  recordTarget?: ScheduleKey | null;
  /** The live schedule being moved (O). */
  old?: ScheduleItem;
  /** The new item (N), as it stands once confirmed. */
  item?: ScheduleItem;
  /** Whether O was retired (the deciding write). */
  retired?: boolean;
  /** Set when the SQS hand-over failed; the feeder's stranded sweep re-sends it. */
  sendFailed?: boolean;
}

/** Arguments of `rescheduleSchedule` as the resolver receives them. */
export interface RescheduleDueFields {
  readonly dueAt?: string | null;
  readonly delaySeconds?: number | null;
}

/**
 * The new due time (epoch ms) under createSchedule's rules: exactly one of `dueAt` and
 * `delaySeconds`, ms precision, within the past tolerance and the horizon. Errors name the argument.
 */
export function validateRescheduleDue(
  args: RescheduleDueFields,
  nowMs: number,
  settings: SchedulerSettings,
): Result<number> {
  const hasDueAt = args.dueAt !== undefined && args.dueAt !== null;
  const hasDelay = args.delaySeconds !== undefined && args.delaySeconds !== null;
  if (hasDueAt === hasDelay) {
    return fail(
      ErrorType.validation,
      `Give exactly one of dueAt and delaySeconds; received ${hasDueAt ? 'both' : 'neither'}`,
    );
  }
  let dueAtMs = 0;
  const field = hasDelay ? 'delaySeconds' : 'dueAt';
  if (hasDelay) {
    const delay = args.delaySeconds as number;
    if (Math.floor(delay) !== delay || delay < 0) {
      return fail(
        ErrorType.validation,
        `delaySeconds must be a whole number >= 0; received ${delay}`,
      );
    }
    dueAtMs = nowMs + delay * 1000;
  } else {
    const text = args.dueAt as string;
    const parsed = parseAwsDateTime('dueAt', text);
    if (!parsed.ok) {
      return parsed;
    }
    if (fractionDigits(text) > 3) {
      return fail(
        ErrorType.validation,
        `dueAt may have at most millisecond precision; received ${text}`,
      );
    }
    dueAtMs = parsed.value;
  }
  const received = hasDelay ? String(args.delaySeconds) : String(args.dueAt);
  if (dueAtMs < nowMs - settings.pastToleranceMs) {
    return fail(
      ErrorType.validation,
      `${field} is ${nowMs - dueAtMs} ms in the past (at most ${settings.pastToleranceMs} ms allowed); received ${received}`,
    );
  }
  if (dueAtMs > nowMs + settings.maxHorizonSeconds * 1000) {
    return fail(
      ErrorType.validation,
      `${field} is more than ${settings.maxHorizonSeconds} seconds ahead (${isoFromEpochMs(dueAtMs)}); received ${received}`,
    );
  }
  return ok(dueAtMs);
}
