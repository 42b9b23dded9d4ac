import { ErrorType } from './errors.js';
import { fail, ok, type Result } from './result.js';
import type { SchedulerSettings } from './settings.js';
import { validatePayloadValue } from './payload.js';
import type { ConflictPolicy, DeliveryChannel } from '../generated/graphql.js';
import {
  validateConflictPolicy,
  validateDeliver,
  validateLabels,
  validateScheduleKey,
} from './schedule-options.js';
import { fractionDigits, isoFromEpochMs, parseAwsDateTime } from './time.js';

/** SQS refuses a DelaySeconds above this. */
export const SQS_MAX_DELAY_SECONDS = 900;

const CLIENT_TOKEN_MAX_LENGTH = 64;
const CLIENT_TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:';
const MAX_ID_LENGTH = 64;

/** `createSchedule` input as the resolver receives it. */
export interface CreateScheduleFields {
  /** AWSDateTime text; parsed here, so offsets with seconds and out-of-range ones are judged alike everywhere. */
  readonly dueAt?: string | null;
  readonly delaySeconds?: number | null;
  /** The payload as AppSync hands AWSJSON to resolvers: already parsed into a JSON value. */
  readonly payload: unknown;
  readonly clientToken?: string | null;
  readonly key?: string | null;
  readonly onConflict?: string | null;
  readonly labels?: readonly unknown[] | null;
  readonly deliver?: readonly unknown[] | null;
}

/** A due time and payload that passed every rule. */
export interface AcceptedSchedule {
  readonly dueAtMs: number;
  readonly dueAt: string;
  /** The payload as JSON text, equal in value to what the client sent. */
  readonly payload: string;
  readonly clientToken: string | null;
  readonly key: string | null;
  /** REJECT unless the input says otherwise; meaningful only with a key. */
  readonly onConflict: ConflictPolicy;
  readonly labels: string[];
  readonly deliver: DeliveryChannel[];
  /** True when the schedule goes straight to the delay queue instead of waiting for a feeder. */
  readonly fastPath: boolean;
}

/** Length of `text` in UTF-8 bytes (no TextEncoder in APPSYNC_JS). */
export function utf8Length(text: string): number {
  let bytes = 0;
  // APPSYNC_JS has neither codePointAt nor charCodeAt: one-character strings compare by code unit.
  for (const ch of text.split('')) {
    if (ch < '\u0080') {
      bytes = bytes + 1;
    } else if (ch < '\u0800') {
      bytes = bytes + 2;
    } else if (ch >= '\ud800' && ch <= '\udfff') {
      // Each half of a surrogate pair counts 2: the pair is one 4-byte code point.
      bytes = bytes + 2;
    } else {
      bytes = bytes + 3;
    }
  }
  return bytes;
}

/** Checks a client token: 1 to 64 characters of letters, digits and `-_.:`. */
export function validateClientToken(token: string): Result<string> {
  if (token.length === 0 || token.length > CLIENT_TOKEN_MAX_LENGTH) {
    return fail(
      ErrorType.validation,
      `input.clientToken must be 1 to ${CLIENT_TOKEN_MAX_LENGTH} characters; received ${token.length}`,
    );
  }
  for (const ch of token.split('')) {
    if (CLIENT_TOKEN_CHARS.indexOf(ch) < 0) {
      return fail(
        ErrorType.validation,
        `input.clientToken may hold only letters, digits and "-_.:"; received ${JSON.stringify(ch)}`,
      );
    }
  }
  return ok(token);
}

function resolveDueAtMs(input: CreateScheduleFields, nowMs: number): Result<number> {
  const hasDueAt = input.dueAt !== undefined && input.dueAt !== null;
  const hasDelay = input.delaySeconds !== undefined && input.delaySeconds !== null;
  if (hasDueAt === hasDelay) {
    return fail(
      ErrorType.validation,
      `Give exactly one of input.dueAt and input.delaySeconds; received ${hasDueAt ? 'both' : 'neither'}`,
    );
  }
  if (hasDelay) {
    const delay = input.delaySeconds as number;
    if (Math.floor(delay) !== delay || delay < 0) {
      return fail(
        ErrorType.validation,
        `input.delaySeconds must be a whole number >= 0; received ${delay}`,
      );
    }
    return ok(nowMs + delay * 1000);
  }
  const dueAtText = input.dueAt as string;
  const dueAtMs = parseAwsDateTime('input.dueAt', dueAtText);
  if (dueAtMs.ok && fractionDigits(dueAtText) > 3) {
    return fail(
      ErrorType.validation,
      `input.dueAt may have at most millisecond precision; received ${dueAtText}`,
    );
  }
  return dueAtMs;
}

/** The payload's JSON text when it fits the size limit and every channel can carry it unchanged. */
function checkedPayload(value: unknown, settings: SchedulerSettings): Result<string> {
  const text = value === undefined ? undefined : JSON.stringify(value);
  if (text === undefined || text === '') {
    return fail(ErrorType.validation, 'input.payload must be a JSON document; received nothing');
  }
  // Size first: it bounds the walk over the value.
  const payloadBytes = utf8Length(text);
  if (payloadBytes > settings.maxPayloadBytes) {
    return fail(
      ErrorType.validation,
      `input.payload must be at most ${settings.maxPayloadBytes} bytes; received ${payloadBytes}`,
    );
  }
  const content = validatePayloadValue(value, 'input.payload');
  if (!content.ok) {
    return fail(content.error.type, content.error.message);
  }
  return ok(text);
}

/** Applies every `createSchedule` rule at time `nowMs`; the error names the field and the value. */
export function validateCreateSchedule(
  input: CreateScheduleFields,
  nowMs: number,
  settings: SchedulerSettings,
): Result<AcceptedSchedule> {
  const due = resolveDueAtMs(input, nowMs);
  if (!due.ok) {
    return fail(due.error.type, due.error.message);
  }
  const dueAtMs = due.value;
  const dueAt = isoFromEpochMs(dueAtMs);
  if (dueAtMs < nowMs - settings.pastToleranceMs) {
    return fail(
      ErrorType.validation,
      `input.dueAt is ${nowMs - dueAtMs} ms in the past (at most ${settings.pastToleranceMs} ms allowed); received ${dueAt}`,
    );
  }
  if (dueAtMs > nowMs + settings.maxHorizonSeconds * 1000) {
    return fail(
      ErrorType.validation,
      `input.dueAt is more than ${settings.maxHorizonSeconds} seconds ahead; received ${dueAt}`,
    );
  }
  const payload = checkedPayload(input.payload, settings);
  if (!payload.ok) {
    return fail(payload.error.type, payload.error.message);
  }
  let clientToken: string | null = null;
  if (input.clientToken !== undefined && input.clientToken !== null) {
    const token = validateClientToken(input.clientToken);
    if (!token.ok) {
      return fail(token.error.type, token.error.message);
    }
    clientToken = token.value;
  }
  let key: string | null = null;
  if (input.key !== undefined && input.key !== null) {
    const checked = validateScheduleKey('input.key', input.key);
    if (!checked.ok) {
      return fail(checked.error.type, checked.error.message);
    }
    key = checked.value;
  }
  const onConflict = validateConflictPolicy('input.onConflict', input.onConflict);
  if (!onConflict.ok) {
    return fail(onConflict.error.type, onConflict.error.message);
  }
  if (key === null && input.onConflict !== undefined && input.onConflict !== null) {
    return fail(
      ErrorType.validation,
      `input.onConflict applies only with input.key; received onConflict ${onConflict.value} without a key`,
    );
  }
  const labels = validateLabels('input.labels', input.labels);
  if (!labels.ok) {
    return fail(labels.error.type, labels.error.message);
  }
  const deliver = validateDeliver('input.deliver', input.deliver);
  if (!deliver.ok) {
    return fail(deliver.error.type, deliver.error.message);
  }
  return ok({
    dueAtMs,
    dueAt,
    payload: payload.value,
    clientToken,
    key,
    onConflict: onConflict.value,
    labels: labels.value,
    deliver: deliver.value,
    fastPath: isFastPath(dueAtMs, nowMs, settings),
  });
}

/** Whether a schedule due at `dueAtMs` should go straight to the delay queue. */
export function isFastPath(dueAtMs: number, nowMs: number, settings: SchedulerSettings): boolean {
  return dueAtMs - nowMs <= settings.fastPathHorizonSeconds * 1000;
}

/**
 * DelaySeconds for a message due at `dueAtMs`: rounded down so the message arrives up to a
 * second early and the dispatcher holds it to the millisecond; clamped to SQS's 0..900.
 */
export function delaySecondsUntil(dueAtMs: number, nowMs: number): number {
  const seconds = Math.floor((dueAtMs - nowMs) / 1000);
  return Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, seconds));
}

/** Checks an id argument's size before it is parsed (ids are at most 64 characters). */
export function validateIdArgument(name: string, id: string): Result<string> {
  if (id.length === 0 || id.length > MAX_ID_LENGTH) {
    return fail(
      ErrorType.validation,
      `${name} must be 1 to ${MAX_ID_LENGTH} characters; received ${id.length}`,
    );
  }
  return ok(id);
}
