import type { HistoryQuery, ScheduleItem, ScheduleKey } from '../../src/domain/index.js';

/** What `schedules`' steps share through `ctx.stash`. */
export interface HistoryStash {
  owner: string;
  query: HistoryQuery;
  /** Keys of the page read from the history index, in index order. */
  keys: ScheduleKey[];
  /** The index's token for the next page; null on the last. */
  nextToken: string | null;
  /** Items read so far, by sort key (unique per schedule: it ends with the id). */
  found: Record<string, ScheduleItem>;
  /** Keys the batch read left unprocessed, to read once more. */
  unprocessed: Record<string, unknown>[];
}
