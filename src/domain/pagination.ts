import { ErrorType } from './errors.js';
import { fail, ok, type Result } from './result.js';
import { isoFromEpochMs } from './time.js';

/** Page size of `pendingSchedules` when the caller gives no `limit`. */
export const DEFAULT_PAGE_LIMIT = 20;
/** Largest `limit` that `pendingSchedules` accepts. */
export const MAX_PAGE_LIMIT = 100;
/** Default lower bound of `pendingSchedules`: the epoch, so overdue live schedules still show. */
export const EARLIEST_DUE_MS = 0;
/** Default upper bound of `pendingSchedules`: the last millisecond of year 9999. */
export const LATEST_DUE_MS = 253_402_300_799_999;

/** Validated `pendingSchedules` arguments as sort-key bounds of the owner index. */
export interface PageRange {
  readonly limit: number;
  /** Lowest sort key included: the `from` instant. */
  readonly fromKey: string;
  /** Highest sort key included: every id due at the `to` instant. */
  readonly toKey: string;
}

/** Raw `pendingSchedules` arguments with the date-times already parsed to epoch ms. */
export interface PageArguments {
  readonly fromMs?: number | null;
  readonly toMs?: number | null;
  readonly limit?: number | null;
}

/** Checks `limit` (1..100, default 20) and the [from, to] range of a `pendingSchedules` call. */
export function validatePageArguments(args: PageArguments): Result<PageRange> {
  const limit = args.limit === undefined || args.limit === null ? DEFAULT_PAGE_LIMIT : args.limit;
  if (Math.floor(limit) !== limit || limit < 1 || limit > MAX_PAGE_LIMIT) {
    return fail(
      ErrorType.validation,
      `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}; received ${limit}`,
    );
  }
  const fromMs = args.fromMs === undefined || args.fromMs === null ? EARLIEST_DUE_MS : args.fromMs;
  const toMs = args.toMs === undefined || args.toMs === null ? LATEST_DUE_MS : args.toMs;
  if (fromMs > toMs) {
    return fail(
      ErrorType.validation,
      `from must not be after to; received from ${isoFromEpochMs(fromMs)} and to ${isoFromEpochMs(toMs)}`,
    );
  }
  // Sort keys are `<ISO>#<id>`; "~" sorts after every id character, so `to` is inclusive.
  return ok({ limit, fromKey: isoFromEpochMs(fromMs), toKey: `${isoFromEpochMs(toMs)}#~` });
}
