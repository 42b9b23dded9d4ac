import { describe, expect, it } from 'vitest';
import { SubscriptionHub } from '../../../src/engine/pubsub.js';

const ownFilter = (owner: string) => ({
  filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: owner }] }],
});

describe('the in-process subscription hub', () => {
  it('queues matching events in order until they are read', async () => {
    // Prepare
    const hub = new SubscriptionHub();
    const alice = hub.subscribe('onFired', ownFilter('alice'));

    // Act
    const delivered = [
      hub.publish('onFired', { owner: 'alice', n: 1 }),
      hub.publish('onFired', { owner: 'bob', n: 2 }),
      hub.publish('other', { owner: 'alice', n: 3 }),
      hub.publish('onFired', { owner: 'alice', n: 4 }),
    ];

    // Assess
    expect(delivered).toEqual([1, 0, 0, 1]);
    expect((await alice.next()).value).toEqual({ owner: 'alice', n: 1 });
    expect((await alice.next()).value).toEqual({ owner: 'alice', n: 4 });
  });

  it('return() and close() end subscriptions and release waiting readers', async () => {
    // Prepare
    const hub = new SubscriptionHub();
    const first = hub.subscribe('onFired', null);
    const second = hub.subscribe('onFired', null);
    const waiting = second.next();

    // Act
    await first.return?.();
    const sizeAfterReturn = hub.size;
    hub.close();

    // Assess
    expect(sizeAfterReturn).toBe(1);
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(hub.size).toBe(0);
    expect(hub.publish('onFired', {})).toBe(0);
  });
});
