/*
 * Rules of `schedules` (the history of an owner's schedules in every state) and how a stored
 * schedule is shown: items written before labels and delivery channels existed read as none and
 * both, and a fired schedule shows its lateness.
 */
import type { DeliveryChannel, SortOrder } from '../generated/graphql.js';
import { ErrorType } from './errors.js';
import { validatePageArguments, type PageRange } from './pagination.js';
import { fail, ok, type Result } from './result.js';
import type { ScheduleItem } from './schedule-item.js';
import {
  ALL_CHANNELS,
  validateLabel,
  validateSortOrder,
  validateStatusFilter,
} from './schedule-options.js';
import type { ScheduleStatus } from './status.js';
import { parseAwsDateTime } from './time.js';

/** Longest `nextToken` accepted; AppSync's own tokens are far shorter. */
export const MAX_NEXT_TOKEN_LENGTH = 4096;

/** The raw arguments of `schedules`. */
export interface HistoryArguments {
  readonly filter?: {
    readonly status?: readonly unknown[] | null;
    readonly label?: unknown;
    readonly from?: string | null;
    readonly to?: string | null;
  } | null;
  readonly limit?: number | null;
  readonly nextToken?: unknown;
  readonly order?: unknown;
}

/** Validated `schedules` arguments: the index range, the order and what to keep of each page. */
export interface HistoryQuery {
  readonly range: PageRange;
  readonly order: SortOrder;
  readonly statuses: ScheduleStatus[];
  /** Only schedules carrying this label; null keeps every label. */
  readonly label: string | null;
  readonly nextToken: string | null;
}

/** An opaque page token: absent, or a non-empty string of bounded length. */
export function validateNextToken(field: string, token: unknown): Result<string | null> {
  if (token === undefined || token === null) {
    return ok(null);
  }
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_NEXT_TOKEN_LENGTH) {
    const shown = typeof token === 'string' ? `${token.length} characters` : String(token);
    return fail(
      ErrorType.validation,
      `${field} must be a token from a previous page (1 to ${MAX_NEXT_TOKEN_LENGTH} characters); received ${shown}`,
    );
  }
  return ok(token);
}

function instant(field: string, text: string | null | undefined): Result<number | null> {
  if (text === undefined || text === null) {
    return ok(null);
  }
  return parseAwsDateTime(field, text);
}

/** Checks every argument of `schedules`; each error names the field and the value received. */
export function validateHistoryArguments(args: HistoryArguments): Result<HistoryQuery> {
  const filter = args.filter ?? {};
  const statuses = validateStatusFilter('filter.status', filter.status);
  if (!statuses.ok) return fail(statuses.error.type, statuses.error.message);
  const hasLabel = filter.label !== undefined && filter.label !== null;
  const label = hasLabel ? validateLabel('filter.label', filter.label) : ok(null);
  if (!label.ok) return fail(label.error.type, label.error.message);
  const fromMs = instant('filter.from', filter.from);
  if (!fromMs.ok) return fail(fromMs.error.type, fromMs.error.message);
  const toMs = instant('filter.to', filter.to);
  if (!toMs.ok) return fail(toMs.error.type, toMs.error.message);
  const range = validatePageArguments({
    fromMs: fromMs.value,
    toMs: toMs.value,
    limit: args.limit ?? null,
  });
  if (!range.ok) return fail(range.error.type, range.error.message);
  const order = validateSortOrder('order', args.order);
  if (!order.ok) return fail(order.error.type, order.error.message);
  const nextToken = validateNextToken('nextToken', args.nextToken);
  if (!nextToken.ok) return fail(nextToken.error.type, nextToken.error.message);
  return ok({
    range: range.value,
    order: order.value,
    statuses: statuses.value,
    label: label.value,
    nextToken: nextToken.value,
  });
}

/**
 * Whether a schedule read for a history page is shown. An item still carrying `supersedes` is an
 * unconfirmed replacement: it is either about to be confirmed or void, and the schedule it would
 * replace is listed meanwhile.
 */
export function keepInHistory(item: ScheduleItem, owner: string, query: HistoryQuery): boolean {
  if (item.owner !== owner || (item.supersedes !== undefined && item.supersedes !== null)) {
    return false;
  }
  if (query.statuses.indexOf(item.status) < 0) {
    return false;
  }
  return query.label === null || (item.labels ?? []).indexOf(query.label) >= 0;
}

/** A stored schedule as the API shows it. */
export type ScheduleView = ScheduleItem & {
  readonly labels: readonly string[];
  readonly deliver: readonly DeliveryChannel[];
  readonly latenessMs: number | null;
};

/** firedAt minus dueAt in ms once fired; null before, or when either time is unreadable. */
export function latenessOf(item: ScheduleItem): number | null {
  if (item.firedAt === undefined || item.firedAt === null) {
    return null;
  }
  const fired = parseAwsDateTime('firedAt', item.firedAt);
  const due = parseAwsDateTime('dueAt', item.dueAt);
  return fired.ok && due.ok ? fired.value - due.value : null;
}

/** Fills what the schema requires of every schedule: labels (none), deliver (both), latenessMs. */
export function scheduleView(item: ScheduleItem): ScheduleView {
  return {
    ...item,
    labels: item.labels ?? [],
    deliver: item.deliver ?? ALL_CHANNELS.slice(),
    latenessMs: latenessOf(item),
  };
}
