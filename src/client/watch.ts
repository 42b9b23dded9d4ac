import type { Subscription } from './realtime.js';

/** A running `watch` with a handler. */
export interface WatchHandle {
  /** Stops the subscription; `done` then resolves. */
  close(): void;
  /** Resolves once closed; rejects when the connection fails or the handler throws. */
  readonly done: Promise<void>;
}

/** Feeds every event of `subscription` to `handler`, one at a time, in arrival order. */
export function watchWithHandler<T>(
  subscription: Subscription<T>,
  handler: (event: T) => void | Promise<void>,
): WatchHandle {
  const done = (async () => {
    try {
      for await (const event of subscription) await handler(event);
    } finally {
      subscription.close();
    }
  })();
  // The caller may never await `done`; an unobserved rejection must not crash the process.
  done.catch(() => undefined);
  return { close: () => subscription.close(), done };
}
