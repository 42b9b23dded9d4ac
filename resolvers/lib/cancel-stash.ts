import type { ScheduleItem, ScheduleKey } from '../../src/domain/index.js';
import type { LookupStash } from './lookup-steps.js';

/** What `cancelSchedule`'s steps share through `ctx.stash`. */
export interface CancelScheduleStash extends LookupStash {
  /** The item to cancel: from the id, or (by key) set once the lookup found the live holder. */
  key: ScheduleKey;
  owner: string;
  /** The `cancelledAt` this request writes; finding it on the item means the write was ours. */
  cancelledAt?: string;
  /** The cancelled item, when the conditional update succeeded. */
  schedule?: ScheduleItem;
}
