import type { ScheduleItem, ScheduleKey } from '../../src/domain/index.js';
import type { LookupStash } from './lookup-steps.js';

/** What `schedule(id | key)`'s steps share through `ctx.stash`. */
export interface ScheduleQueryStash extends LookupStash {
  owner: string;
  /** By id: the item's key, derived from the id (null when the id is not one of ours). */
  idKey?: ScheduleKey | null;
  /** By id: the item read, when it is the caller's. */
  schedule?: ScheduleItem | null;
}
