/** One schedule a reschedule run moved: where it was and where it went. */
export interface MovedSchedule {
  readonly oldId: string;
  readonly oldDueMs: number;
  /** The id after the move; the same as `oldId` where the id survives a move (BullMQ). */
  readonly newId: string;
  readonly newDueMs: number;
}

/** What one channel delivered of the moved schedules. */
export interface RescheduleVerdict {
  readonly moved: number;
  /** Schedules delivered at (or closer to) their old time: must be 0. */
  readonly firedAtOld: number;
  /** Schedules delivered at least once at their new time: must be `moved`. */
  readonly firedAtNew: number;
  /** Schedules delivered at neither time. */
  readonly lost: number;
  /** Deliveries beyond the first of each schedule. */
  readonly duplicated: number;
}

/**
 * Judges a scheduler whose id changes with the move: a delivery of an old id fired at the old
 * time, one of a new id at the new time. `received` counts deliveries per id.
 */
export function judgeByIds(
  moved: readonly MovedSchedule[],
  received: ReadonlyMap<string, number>,
): RescheduleVerdict {
  let firedAtOld = 0;
  let firedAtNew = 0;
  let lost = 0;
  let duplicated = 0;
  for (const schedule of moved) {
    const atOld = received.get(schedule.oldId) ?? 0;
    const atNew = received.get(schedule.newId) ?? 0;
    if (atOld > 0) firedAtOld += 1;
    if (atNew > 0) firedAtNew += 1;
    if (atOld + atNew === 0) lost += 1;
    duplicated += Math.max(0, atOld + atNew - 1);
  }
  return { moved: moved.length, firedAtOld, firedAtNew, lost, duplicated };
}

/**
 * Judges a scheduler that keeps the id: each delivery counts for the due time it is nearer to
 * (the midpoint splits them). `receivedAt` lists delivery times (epoch ms) per id.
 */
export function judgeByTimes(
  moved: readonly MovedSchedule[],
  receivedAt: ReadonlyMap<string, readonly number[]>,
): RescheduleVerdict {
  let firedAtOld = 0;
  let firedAtNew = 0;
  let lost = 0;
  let duplicated = 0;
  for (const schedule of moved) {
    const times = receivedAt.get(schedule.newId) ?? [];
    const midpoint = (schedule.oldDueMs + schedule.newDueMs) / 2;
    const nearOld = (time: number) =>
      schedule.newDueMs > schedule.oldDueMs ? time < midpoint : time > midpoint;
    if (times.some(nearOld)) firedAtOld += 1;
    if (times.some((time) => !nearOld(time))) firedAtNew += 1;
    if (times.length === 0) lost += 1;
    duplicated += Math.max(0, times.length - 1);
  }
  return { moved: moved.length, firedAtOld, firedAtNew, lost, duplicated };
}

/** Lateness (ms) of the first delivery of each moved schedule's new id against its new due time. */
export function latenessAgainstNew(
  moved: readonly MovedSchedule[],
  firstDeliveryMs: (id: string) => number | undefined,
): number[] {
  const samples: number[] = [];
  for (const schedule of moved) {
    const first = firstDeliveryMs(schedule.newId);
    if (first !== undefined) samples.push(first - schedule.newDueMs);
  }
  return samples;
}
