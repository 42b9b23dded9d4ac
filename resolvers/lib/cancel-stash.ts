import type { ScheduleItem, ScheduleKey } from '../../src/domain/index.js';

/** What `cancelSchedule`'s steps share through `ctx.stash`. */
export interface CancelScheduleStash {
  key: ScheduleKey;
  owner: string;
  /** The cancelled item, when the conditional update succeeded. */
  schedule?: ScheduleItem;
}
