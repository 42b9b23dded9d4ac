import type { ScheduleItem, ScheduleKey } from '../../src/domain/index.js';

/** What `cancelSchedule`'s steps share through `ctx.stash`. */
export interface CancelScheduleStash {
  key: ScheduleKey;
  owner: string;
  /** The `cancelledAt` this request writes; finding it on the item means the write was ours. */
  cancelledAt?: string;
  /** The cancelled item, when the conditional update succeeded. */
  schedule?: ScheduleItem;
}
