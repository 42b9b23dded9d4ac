/**
 * Runs `task` for every index in [0, count) with at most `concurrency` in flight, in index
 * order of start. Rejects with the first error once the tasks in flight have settled.
 */
export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < count && failure === undefined) {
      const index = next;
      next += 1;
      try {
        await task(index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  if (failure !== undefined) throw failure;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Polls `check` every `intervalMs` until it returns true or `deadlineMs` (epoch) passes. */
export async function waitUntil(
  check: () => boolean,
  deadlineMs: number,
  intervalMs = 50,
): Promise<boolean> {
  while (!check()) {
    if (Date.now() >= deadlineMs) return false;
    await sleep(intervalMs);
  }
  return true;
}
