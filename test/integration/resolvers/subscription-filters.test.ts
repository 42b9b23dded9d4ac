import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppSyncPublisher } from '../../../src/aws/appsync-publisher.js';
import type { FiredEvent } from '../../../src/engine/fired-event.js';
import { startLocalStack, type LocalStack } from '../../../src/local/stack.js';
import { openRealtime, waitFor, type RealtimeClient } from '../../e2e/e2e-helpers.js';

const SUBSCRIBE = `subscription S($id: ID, $key: String, $label: String) {
  onScheduleFired(id: $id, key: $key, label: $label) { id owner key labels }
}`;

function event(id: string, owner: string, key: string | null, labels: string[]): FiredEvent {
  return {
    id,
    owner,
    dueAt: '2027-03-20T09:46:47.123Z',
    firedAt: '2027-03-20T09:46:47.150Z',
    latenessMs: 27,
    payload: JSON.stringify({ id }),
    key,
    labels,
  };
}

describe('onScheduleFired(id, key, label) over the AppSync real-time protocol (local server)', () => {
  let stack: LocalStack;
  let socket: RealtimeClient;
  let auth: Record<string, string>;

  /** Starts one subscription on the shared socket; resolves on start_ack, or returns the error. */
  async function start(id: string, variables: Record<string, unknown>) {
    socket.send({
      id,
      type: 'start',
      payload: {
        data: JSON.stringify({ query: SUBSCRIBE, variables }),
        extensions: { authorization: auth },
      },
    });
    await waitFor(`start_ack or error for ${id}`, () =>
      socket.messages.some((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error')),
    );
  }
  /** The ids of the events subscription `id` received, in order. */
  const receivedBy = (id: string) =>
    socket.messages
      .filter((m) => m.type === 'data' && m.id === id)
      .map((m) => (m.payload as { data: { onScheduleFired: FiredEvent } }).data.onScheduleFired.id);

  beforeAll(async () => {
    stack = await startLocalStack({
      memory: true,
      port: 0,
      quiet: true,
      feederIntervalSeconds: 3600,
    });
    auth = { host: new URL(stack.graphqlUrl).host, 'x-api-key': stack.apiKey };
    socket = await openRealtime(stack.realtimeUrl, auth);
    socket.send({ type: 'connection_init' });
    await socket.next('connection_ack');
  }, 60_000);
  afterAll(async () => {
    socket.close();
    await stack.stop();
  });

  it('delivers to each subscriber only its own events that match its id, key or label', async () => {
    // Prepare: the API-key caller's subscriptions (owner "api-key")
    await start('all', {});
    await start('red', { label: 'red' });
    await start('blue', { label: 'blue' });
    await start('key', { key: 'order-7' });
    await start('id', { id: 'last' });
    await start('red-key', { label: 'red', key: 'order-7' });
    const publisher = new AppSyncPublisher({
      url: stack.graphqlUrl,
      credentials: stack.iamCredentials,
    });

    // Act: the dispatcher's publish, one event at a time; "last" matches every subscription
    const events = [
      event('alice-red', 'alice', 'order-7', ['red']),
      event('blue', 'api-key', null, ['blue']),
      event('red-green', 'api-key', 'order-7', ['green', 'red']),
      event('reddish', 'api-key', 'order-70', ['reddish', 'RED']),
      event('red', 'api-key', null, ['red']),
      event('unlabelled', 'api-key', 'order-7', []),
      event('last', 'api-key', 'order-7', ['blue', 'red']),
    ];
    for (const fired of events) await publisher.send(fired);
    for (const id of ['all', 'red', 'blue', 'key', 'id', 'red-key']) {
      await socket.next('data', id);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assess: each socket's events arrive in publish order, so "last" closes each list
    expect(receivedBy('all')).toEqual([
      'blue',
      'red-green',
      'reddish',
      'red',
      'unlabelled',
      'last',
    ]);
    expect(receivedBy('red')).toEqual(['red-green', 'red', 'last']);
    expect(receivedBy('blue')).toEqual(['blue', 'last']);
    expect(receivedBy('key')).toEqual(['red-green', 'unlabelled', 'last']);
    expect(receivedBy('id')).toEqual(['last']);
    expect(receivedBy('red-key')).toEqual(['red-green', 'last']);
  });

  it.each([
    [{ label: 'has space' }, 'label may hold only'],
    [{ label: '' }, 'label must be 1 to 64 characters; received 0'],
    [{ key: 'k'.repeat(129) }, 'key must be 1 to 128 characters; received 129'],
    [{ id: '' }, 'id must be 1 to'],
  ])('refuses the subscription for %j with a ValidationError', async (variables, message) => {
    // Act
    const id = `bad-${JSON.stringify(variables).length}-${Object.keys(variables)[0]}`;
    await start(id, variables);

    // Assess
    const refusal = socket.messages.find((m) => m.id === id && m.type !== 'start');
    expect(refusal?.type).toBe('error');
    expect(JSON.stringify(refusal?.payload)).toContain('ValidationError');
    expect(JSON.stringify(refusal?.payload)).toContain(message);
  });
});
