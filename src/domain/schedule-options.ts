/*
 * Rules for the optional parts of a schedule a client names: its key, labels, delivery channels
 * and conflict policy, and the filter of `schedules`. Each error names the field and the value.
 */
import type { ConflictPolicy, DeliveryChannel, SortOrder } from '../generated/graphql.js';
import { ErrorType } from './errors.js';
import { fail, ok, type Result } from './result.js';
import { ALL_STATUSES, type ScheduleStatus } from './status.js';

/** Longest schedule key. */
export const MAX_KEY_LENGTH = 128;
/** Most labels on one schedule. */
export const MAX_LABELS = 10;
/** Longest label. */
export const MAX_LABEL_LENGTH = 64;
/** Characters a key or a label may hold. */
export const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/@';

/** Both delivery channels, the default. */
export const ALL_CHANNELS: readonly DeliveryChannel[] = ['SUBSCRIPTION', 'QUEUE'];
const POLICIES: readonly ConflictPolicy[] = ['REJECT', 'REPLACE', 'KEEP'];
const ORDERS: readonly SortOrder[] = ['ASC', 'DESC'];

/**
 * Whether a value is a list. APPSYNC_JS has no Array.isArray; a GraphQL list argument is the only
 * object with a numeric length that reaches these checks.
 */
function isList(value: unknown): value is unknown[] {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { length?: unknown }).length === 'number'
  );
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Checks a name (key or label): 1 to `maxLength` characters of {@link NAME_CHARS}. */
function validateName(field: string, value: unknown, maxLength: number): Result<string> {
  if (typeof value !== 'string') {
    return fail(ErrorType.validation, `${field} must be a string; received ${describe(value)}`);
  }
  if (value.length === 0 || value.length > maxLength) {
    return fail(
      ErrorType.validation,
      `${field} must be 1 to ${maxLength} characters; received ${value.length}`,
    );
  }
  for (const ch of value.split('')) {
    if (NAME_CHARS.indexOf(ch) < 0) {
      return fail(
        ErrorType.validation,
        `${field} may hold only letters, digits and "-_.:/@"; received ${JSON.stringify(ch)} in ${JSON.stringify(value)}`,
      );
    }
  }
  return ok(value);
}

/** A schedule key (`field` names where it came from, e.g. `input.key`). */
export function validateScheduleKey(field: string, key: unknown): Result<string> {
  return validateName(field, key, MAX_KEY_LENGTH);
}

/** A single label, e.g. a filter's or a subscription's. */
export function validateLabel(field: string, label: unknown): Result<string> {
  return validateName(field, label, MAX_LABEL_LENGTH);
}

/** Labels of a new schedule: at most 10, each valid, no repeats; none given means none. */
export function validateLabels(field: string, labels: unknown): Result<string[]> {
  if (labels === undefined || labels === null) {
    return ok([]);
  }
  if (!isList(labels)) {
    return fail(ErrorType.validation, `${field} must be a list; received ${describe(labels)}`);
  }
  if (labels.length > MAX_LABELS) {
    return fail(
      ErrorType.validation,
      `${field} may hold at most ${MAX_LABELS} labels; received ${labels.length}`,
    );
  }
  const accepted: string[] = [];
  let index = 0;
  for (const raw of labels as unknown[]) {
    const label = validateLabel(`${field}[${index}]`, raw);
    if (!label.ok) {
      return fail(label.error.type, label.error.message);
    }
    if (accepted.indexOf(label.value) >= 0) {
      return fail(
        ErrorType.validation,
        `${field}[${index}] repeats the label ${JSON.stringify(label.value)}`,
      );
    }
    accepted.push(label.value);
    index = index + 1;
  }
  return ok(accepted);
}

/** Delivery channels: one or both, no repeats; none given means both. */
export function validateDeliver(field: string, deliver: unknown): Result<DeliveryChannel[]> {
  if (deliver === undefined || deliver === null) {
    return ok(ALL_CHANNELS.slice());
  }
  if (!isList(deliver) || deliver.length === 0) {
    return fail(
      ErrorType.validation,
      `${field} must name at least one of SUBSCRIPTION and QUEUE; received ${isList(deliver) ? '[]' : describe(deliver)}`,
    );
  }
  const accepted: DeliveryChannel[] = [];
  let index = 0;
  for (const raw of deliver as unknown[]) {
    const channel = raw as DeliveryChannel;
    if (ALL_CHANNELS.indexOf(channel) < 0) {
      return fail(
        ErrorType.validation,
        `${field}[${index}] must be SUBSCRIPTION or QUEUE; received ${describe(channel)}`,
      );
    }
    if (accepted.indexOf(channel) >= 0) {
      return fail(ErrorType.validation, `${field}[${index}] repeats ${channel}`);
    }
    accepted.push(channel);
    index = index + 1;
  }
  return ok(accepted);
}

/** Whether a schedule asks for delivery on `channel` (absent `deliver` means both). */
export function deliversTo(
  deliver: readonly DeliveryChannel[] | undefined | null,
  channel: DeliveryChannel,
): boolean {
  return deliver === undefined || deliver === null || deliver.indexOf(channel) >= 0;
}

/** The conflict policy; REJECT when none is given. */
export function validateConflictPolicy(field: string, policy: unknown): Result<ConflictPolicy> {
  if (policy === undefined || policy === null) {
    return ok('REJECT');
  }
  if (POLICIES.indexOf(policy as ConflictPolicy) < 0) {
    return fail(
      ErrorType.validation,
      `${field} must be REJECT, REPLACE or KEEP; received ${describe(policy)}`,
    );
  }
  return ok(policy as ConflictPolicy);
}

/** The sort order of a page; ASC when none is given. */
export function validateSortOrder(field: string, order: unknown): Result<SortOrder> {
  if (order === undefined || order === null) {
    return ok('ASC');
  }
  if (ORDERS.indexOf(order as SortOrder) < 0) {
    return fail(ErrorType.validation, `${field} must be ASC or DESC; received ${describe(order)}`);
  }
  return ok(order as SortOrder);
}

/** A status filter: known statuses, no repeats; none given means every status. */
export function validateStatusFilter(field: string, statuses: unknown): Result<ScheduleStatus[]> {
  if (statuses === undefined || statuses === null) {
    return ok(ALL_STATUSES.slice());
  }
  if (!isList(statuses) || statuses.length === 0) {
    return fail(
      ErrorType.validation,
      `${field} must name at least one status; received ${isList(statuses) ? '[]' : describe(statuses)}`,
    );
  }
  const accepted: ScheduleStatus[] = [];
  let index = 0;
  for (const raw of statuses as unknown[]) {
    const status = raw as ScheduleStatus;
    if (ALL_STATUSES.indexOf(status) < 0) {
      return fail(
        ErrorType.validation,
        `${field}[${index}] must be one of ${ALL_STATUSES.join(', ')}; received ${describe(status)}`,
      );
    }
    if (accepted.indexOf(status) >= 0) {
      return fail(ErrorType.validation, `${field}[${index}] repeats ${status}`);
    }
    accepted.push(status);
    index = index + 1;
  }
  return ok(accepted);
}

/** Exactly one of two alternative arguments (e.g. id and key); names both when the rule fails. */
export function exactlyOne(
  first: string,
  hasFirst: boolean,
  second: string,
  hasSecond: boolean,
): Result<true> {
  if (hasFirst === hasSecond) {
    return fail(
      ErrorType.validation,
      `Give exactly one of ${first} and ${second}; received ${hasFirst ? 'both' : 'neither'}`,
    );
  }
  return ok(true);
}
