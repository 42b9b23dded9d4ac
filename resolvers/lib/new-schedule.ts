import {
  Status,
  isoFromEpochMs,
  type AcceptedSchedule,
  type ScheduleItem,
  type ScheduleKey,
} from '../../src/domain/index.js';

/** What a new schedule item is made of besides the accepted input. */
export interface NewScheduleParts {
  readonly accepted: AcceptedSchedule;
  readonly owner: string;
  readonly id: string;
  readonly key: ScheduleKey;
  readonly nowMs: number;
}

/**
 * The item `createSchedule` stores: fast-path schedules are QUEUED (sent once), the rest PENDING
 * for the feeder. `pendingOwner` puts live schedules on the sparse owner index.
 */
export function newScheduleItem(parts: NewScheduleParts): ScheduleItem {
  const { accepted, owner, id, key } = parts;
  const createdAt = isoFromEpochMs(parts.nowMs);
  const base = {
    pk: key.pk,
    sk: key.sk,
    id,
    owner,
    dueAt: accepted.dueAt,
    payload: accepted.payload,
    createdAt,
    pendingOwner: owner,
    labels: accepted.labels,
    deliver: accepted.deliver,
  };
  const withKey = accepted.key === null ? base : { ...base, key: accepted.key };
  const withToken =
    accepted.clientToken === null ? withKey : { ...withKey, clientToken: accepted.clientToken };
  return accepted.fastPath
    ? { ...withToken, status: Status.queued, queuedAt: createdAt, sendCount: 1 }
    : { ...withToken, status: Status.pending, sendCount: 0 };
}
