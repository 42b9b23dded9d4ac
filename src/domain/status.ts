import type { ScheduleStatus } from '../generated/graphql.js';

export type { ScheduleStatus };

/** The schedule states, as stored in the table and shown in the API. */
export const Status = {
  pending: 'PENDING',
  queued: 'QUEUED',
  firing: 'FIRING',
  fired: 'FIRED',
  cancelled: 'CANCELLED',
  rescheduled: 'RESCHEDULED',
} as const satisfies Record<string, ScheduleStatus>;

/*
 * PENDING -> QUEUED -> FIRING -> FIRED, and PENDING|QUEUED -> CANCELLED. PENDING -> FIRING is
 * allowed because a feeder can crash after sending a message and before marking the item QUEUED.
 * QUEUED -> QUEUED is the feeder re-sending a stranded hand-over; FIRING -> FIRING is a claim
 * taken again (a redelivery, a released or stale claim). FIRING is not cancellable: delivery
 * may already have reached a channel. PENDING|QUEUED -> RESCHEDULED hands the schedule over to the
 * one that replaces it (a new id at the new due time); like CANCELLED it is final.
 */
const NEXT: Readonly<Record<ScheduleStatus, readonly ScheduleStatus[]>> = {
  PENDING: ['QUEUED', 'FIRING', 'CANCELLED', 'RESCHEDULED'],
  QUEUED: ['QUEUED', 'FIRING', 'CANCELLED', 'RESCHEDULED'],
  FIRING: ['FIRING', 'FIRED'],
  FIRED: [],
  CANCELLED: [],
  RESCHEDULED: [],
};

const ALL: readonly ScheduleStatus[] = [
  Status.pending,
  Status.queued,
  Status.firing,
  Status.fired,
  Status.cancelled,
  Status.rescheduled,
];

/** Every status, in life order. */
export const ALL_STATUSES: readonly ScheduleStatus[] = ALL;

/** Whether a schedule in state `from` may move to state `to`. */
export function canTransition(from: ScheduleStatus, to: ScheduleStatus): boolean {
  return NEXT[from].indexOf(to) >= 0;
}

/** The states from which a schedule may move to `to`: the status condition of that write. */
export function statusesLeadingTo(to: ScheduleStatus): ScheduleStatus[] {
  const from: ScheduleStatus[] = [];
  for (const status of ALL) {
    if (canTransition(status, to)) {
      from.push(status);
    }
  }
  return from;
}

/** Whether the schedule will still fire unless cancelled (it shows in `pendingSchedules`). */
export function isLive(status: ScheduleStatus): boolean {
  return status === Status.pending || status === Status.queued;
}

/** Whether the schedule is not finished yet: live, or claimed and still being delivered. */
export function isUnfinished(status: ScheduleStatus): boolean {
  return isLive(status) || status === Status.firing;
}
