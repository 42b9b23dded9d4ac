import type { CreateScheduleRequest } from '../client/index.js';

/** Fast-path schedules are due within this many seconds, so the horizon must be at least this. */
export const FAST_WINDOW_SECONDS = 10;

/**
 * Far-path schedules are due this long past the horizon, so a client clock a few seconds off the
 * service's cannot put them inside it.
 */
export const FAR_MARGIN_SECONDS = 20;

/** How long after its due time a schedule may still arrive and count as delivered. */
export const DELIVERY_GRACE_MS = 30_000;

/** What a planned schedule is for. */
export type PlannedKind = 'fast' | 'cancel' | 'far';

/** One schedule the smoke creates, with the payload it must come back with. */
export interface PlannedSchedule {
  readonly kind: PlannedKind;
  readonly request: CreateScheduleRequest;
  readonly payload: { readonly smoke: string; readonly n: number; readonly kind: PlannedKind };
}

/**
 * The run's schedules, relative to `startMs`: four fast-path ones due 4 to 8 s ahead (one by
 * `delaySeconds`, the others by `dueAt` with odd milliseconds so the dispatcher's sub-second hold
 * is exercised), one fast-path one to cancel (due 9 s ahead, late enough that the cancel lands
 * before it fires), and two far-path ones due `FAR_MARGIN_SECONDS` past the horizon (two, so
 * that listing them with a limit of 1 has to follow nextToken).
 */
export function planSchedules(
  runId: string,
  startMs: number,
  fastPathHorizonSeconds: number,
): PlannedSchedule[] {
  const at = (offsetMs: number) => ({ dueAt: new Date(startMs + offsetMs) });
  const requests: [PlannedKind, Omit<CreateScheduleRequest, 'payload'>][] = [
    ['fast', at(4_137)],
    ['fast', { delaySeconds: 5 }],
    ['fast', at(6_421)],
    ['fast', at(7_999)],
    ['cancel', at(9_250)],
    ['far', at((fastPathHorizonSeconds + FAR_MARGIN_SECONDS) * 1000 + 313)],
    ['far', at((fastPathHorizonSeconds + FAR_MARGIN_SECONDS) * 1000 + 1_877)],
  ];
  return requests.map(([kind, timing], n) => {
    const payload = { smoke: runId, n, kind };
    return { kind, payload, request: { ...timing, payload } };
  });
}

/** The status a schedule of `kind` must have right after createSchedule. */
export function expectedStatus(kind: PlannedKind): 'QUEUED' | 'PENDING' {
  return kind === 'far' ? 'PENDING' : 'QUEUED';
}
