/*
 * Bulk calls split into chunks of at most 25 (the API's limit per request), sent a few at a time.
 * Results come back per item in input order; a chunk whose request failed as a whole turns into
 * one error per item of that chunk, so a failure never throws away the results of other chunks.
 */
import { SchedulerError } from './errors.js';

/** Why one item failed: the API's errorType and message, or the request's own failure. */
export interface ItemError {
  readonly errorType: string;
  readonly message: string;
}

/** One item's outcome: `ok` with the schedule, or not `ok` with the error. */
export type ItemResult<T> =
  { readonly ok: true; readonly schedule: T } | { readonly ok: false; readonly error: ItemError };

/** How far a bulk call has got; sent after each chunk. */
export interface BulkProgress {
  readonly total: number;
  /** Items with an outcome so far (succeeded + failed). */
  readonly done: number;
  readonly succeeded: number;
  readonly failed: number;
}

/** Options of `createMany` and `cancelMany`. */
export interface BulkOptions {
  /** Items per request, 1 to 25. @default 25 */
  readonly chunkSize?: number;
  /** Requests in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Called after each chunk has its outcome. */
  readonly onProgress?: (progress: BulkProgress) => void;
}

/** The API's limit on items per `createSchedules` / `cancelSchedules` request. */
export const MAX_CHUNK_SIZE = 25;

/** An item error for a request that failed as a whole. */
export function itemErrorOf(error: unknown): ItemError {
  if (error instanceof SchedulerError)
    return { errorType: error.errorType, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  const cause =
    error instanceof Error && error.cause !== undefined ? `: ${String(error.cause)}` : '';
  return { errorType: 'RequestFailed', message: `${message}${cause}` };
}

function checkOptions(options: BulkOptions): { chunkSize: number; concurrency: number } {
  const chunkSize = options.chunkSize ?? MAX_CHUNK_SIZE;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE)
    throw new RangeError(
      `chunkSize must be an integer from 1 to ${MAX_CHUNK_SIZE}. Received: ${String(chunkSize)}`,
    );
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(
      `concurrency must be a positive integer. Received: ${String(concurrency)}`,
    );
  return { chunkSize, concurrency };
}

/**
 * Sends `items` in chunks through `send` (which answers one result per item of its chunk, in
 * order) and returns one result per item, in input order.
 */
export async function runInChunks<TItem, TOutcome extends { readonly ok: boolean }>(
  items: readonly TItem[],
  options: BulkOptions,
  send: (chunk: readonly TItem[]) => Promise<readonly TOutcome[]>,
  failed: (item: TItem, error: ItemError) => TOutcome,
): Promise<TOutcome[]> {
  const { chunkSize, concurrency } = checkOptions(options);
  const results: TOutcome[] = new Array<TOutcome>(items.length);
  const progress = { total: items.length, done: 0, succeeded: 0, failed: 0 };
  let nextStart = 0;

  async function sendChunk(start: number): Promise<void> {
    const chunk = items.slice(start, start + chunkSize);
    let outcomes: readonly TOutcome[] = [];
    let requestError: ItemError | null = null;
    try {
      outcomes = await send(chunk);
    } catch (error) {
      requestError = itemErrorOf(error);
    }
    chunk.forEach((item, offset) => {
      const outcome =
        outcomes[offset] ??
        failed(
          item,
          requestError ?? {
            errorType: 'MissingResult',
            message: `The response had ${outcomes.length} results for a chunk of ${chunk.length}`,
          },
        );
      results[start + offset] = outcome;
      if (outcome.ok) progress.succeeded += 1;
      else progress.failed += 1;
    });
    progress.done += chunk.length;
    options.onProgress?.({ ...progress });
  }

  async function worker(): Promise<void> {
    while (nextStart < items.length) {
      const start = nextStart;
      nextStart += chunkSize;
      await sendChunk(start);
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(concurrency, Math.ceil(items.length / chunkSize)) }, worker),
  );
  return results;
}
