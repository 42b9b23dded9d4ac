import type { ScheduleItem } from '../domain/schedule-item.js';

/**
 * A fired schedule as delivered: the output-queue message body and the input of the
 * `publishScheduleFired` mutation. `payload` is the schedule's JSON text, unchanged.
 */
export interface FiredEvent {
  readonly id: string;
  readonly owner: string;
  readonly dueAt: string;
  readonly firedAt: string;
  /** firedAt minus dueAt, in milliseconds. */
  readonly latenessMs: number;
  readonly payload: string;
  /** The owner's key, or null for a schedule without one. */
  readonly key: string | null;
  readonly labels: readonly string[];
}

/** The event for a claimed (FIRING) schedule item; every copy carries the first claim's firedAt. */
export function firedEventFrom(item: ScheduleItem): FiredEvent {
  const firedAt = item.firedAt ?? item.dueAt;
  return {
    id: item.id,
    owner: item.owner,
    dueAt: item.dueAt,
    firedAt,
    latenessMs: Date.parse(firedAt) - Date.parse(item.dueAt),
    payload: item.payload,
    key: item.key ?? null,
    labels: item.labels ?? [],
  };
}
