/*
 * In-process pub/sub between mutations and subscriptions: each subscription registers a
 * queue with its filter; publishing pushes an event to every matching queue.
 */
import { matchesSubscriptionFilter, type SubscriptionFilterSpec } from './subscription-filter.js';

interface Subscriber {
  readonly field: string;
  readonly filter: SubscriptionFilterSpec | null;
  push(event: unknown): void;
  end(): void;
}

/** Subscribers per subscription field; closing ends every iterator. */
export class SubscriptionHub {
  private readonly subscribers = new Set<Subscriber>();

  /** Number of open subscriptions. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Delivers `event` to every subscription of `field` whose filter it passes. */
  publish(field: string, event: unknown): number {
    let delivered = 0;
    for (const subscriber of this.subscribers) {
      if (subscriber.field === field && matchesSubscriptionFilter(subscriber.filter, event)) {
        subscriber.push(event);
        delivered += 1;
      }
    }
    return delivered;
  }

  /** Opens a subscription: an iterator of the events published to `field` that pass `filter`. */
  subscribe(field: string, filter: SubscriptionFilterSpec | null): AsyncIterableIterator<unknown> {
    const queue: unknown[] = [];
    const waiting: ((result: IteratorResult<unknown>) => void)[] = [];
    let done = false;
    const finish = (): IteratorResult<unknown> => {
      done = true;
      this.subscribers.delete(subscriber);
      queue.length = 0;
      for (const resolve of waiting.splice(0)) resolve({ done: true, value: undefined });
      return { done: true, value: undefined };
    };
    const subscriber: Subscriber = {
      field,
      filter,
      push: (event) => {
        const resolve = waiting.shift();
        if (resolve) resolve({ done: false, value: event });
        else queue.push(event);
      },
      end: finish,
    };
    this.subscribers.add(subscriber);
    const iterator: AsyncIterableIterator<unknown> = {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ done: false, value: queue.shift() });
        if (done) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => waiting.push(resolve));
      },
      return: () => Promise.resolve(finish()),
      throw: (error: unknown) => {
        finish();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Ends every subscription. */
  close(): void {
    for (const subscriber of [...this.subscribers]) subscriber.end();
  }
}
