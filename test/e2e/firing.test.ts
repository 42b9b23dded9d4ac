import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import {
  FIRED_FIELDS,
  ON_FIRED,
  createSchedule,
  openRealtime,
  postGraphql,
  readOutputQueue,
  waitFor,
  type FiredEvent,
} from './e2e-helpers.js';

/** Generous: a bound on lateness on a shared 2-core machine, not a benchmark. */
const LATENESS_BOUND_MS = 2500;

function subscribeGraphqlWs(client: Client, received: FiredEvent[]): Promise<void> {
  return new Promise((resolve, reject) => {
    client.subscribe<{ onScheduleFired: FiredEvent }>(
      { query: ON_FIRED },
      {
        next: (result) => {
          if (result.data?.onScheduleFired) received.push(result.data.onScheduleFired);
        },
        error: reject,
        complete: () => undefined,
      },
    );
    // graphql-ws acknowledges no subscription; a short settle lets the server register it.
    setTimeout(resolve, 300);
  });
}

describe('local stack end to end (HTTP, graphql-ws, AppSync real-time)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, port: 0, quiet: true, feederIntervalSeconds: 2 });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('fires to a graphql-ws subscriber and the output queue within the lateness bound', async () => {
    // Prepare
    const received: FiredEvent[] = [];
    const client = createClient({
      url: stack.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': stack.apiKey },
    });
    await subscribeGraphqlWs(client, received);

    // Act
    const id = await createSchedule(stack, { delaySeconds: 2, payload: JSON.stringify({ n: 1 }) });
    await waitFor('the subscription event', () => received.some((event) => event.id === id));
    const output = await readOutputQueue(stack, [id]);
    await client.dispose();

    // Assess
    const live = received.find((event) => event.id === id);
    expect(live).toMatchObject({ owner: 'api-key', payload: JSON.stringify({ n: 1 }) });
    expect(live?.latenessMs).toBeGreaterThanOrEqual(0);
    expect(live?.latenessMs).toBeLessThan(LATENESS_BOUND_MS);
    expect(Date.parse(live?.firedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(live?.dueAt ?? ''));
    expect(output.get(id)).toMatchObject({ id, payload: JSON.stringify({ n: 1 }) });
  });

  it('speaks AppSync real-time as Amplify does: ack, ka, start_ack, data, stop, complete', async () => {
    // Prepare
    const host = new URL(stack.graphqlUrl).host;
    const auth = { host, 'x-api-key': stack.apiKey };
    const socket = await openRealtime(stack.realtimeUrl, auth);
    socket.send({ type: 'connection_init' });
    const ack = await socket.next('connection_ack');
    await socket.next('ka');
    socket.send({
      id: 'sub-1',
      type: 'start',
      payload: {
        data: JSON.stringify({ query: ON_FIRED, variables: {} }),
        extensions: { authorization: auth },
      },
    });
    await socket.next('start_ack', 'sub-1');

    // Act
    const id = await createSchedule(stack, { delaySeconds: 1, payload: '[1,"two"]' });
    const data = await socket.next('data', 'sub-1');
    socket.send({ type: 'stop', id: 'sub-1' });
    const complete = await socket.next('complete', 'sub-1');
    socket.close();

    // Assess
    expect(ack.payload).toEqual({ connectionTimeoutMs: 300_000 });
    const event = (data.payload as { data: { onScheduleFired: FiredEvent } }).data.onScheduleFired;
    expect(event).toMatchObject({ id, payload: '[1,"two"]' });
    expect(event.latenessMs).toBeLessThan(LATENESS_BOUND_MS);
    expect(complete.id).toBe('sub-1');
    await readOutputQueue(stack, [id]);
  });

  it('delivers a user-pool caller only their own events', async () => {
    // Prepare
    const [alice, bob] = await Promise.all([stack.mintToken('alice'), stack.mintToken('bob')]);
    const host = new URL(stack.graphqlUrl).host;
    const sockets = await Promise.all(
      [alice, bob].map((token) => openRealtime(stack.realtimeUrl, { host, Authorization: token })),
    );
    for (const [index, socket] of sockets.entries()) {
      const token = index === 0 ? alice : bob;
      socket.send({ type: 'connection_init' });
      await socket.next('connection_ack');
      const data = JSON.stringify({
        query: `subscription { onScheduleFired { ${FIRED_FIELDS} } }`,
      });
      socket.send({
        id: 's',
        type: 'start',
        payload: { data, extensions: { authorization: { host, Authorization: token } } },
      });
      await socket.next('start_ack', 's');
    }

    // Act
    const id = await createSchedule(
      stack,
      { delaySeconds: 1, payload: '{}' },
      { authorization: alice },
    );
    const aliceData = await sockets[0]?.next('data', 's');
    await readOutputQueue(stack, [id]);
    for (const socket of sockets) socket.close();

    // Assess
    const event = (aliceData?.payload as { data: { onScheduleFired: FiredEvent } }).data
      .onScheduleFired;
    expect(event.id).toBe(id);
    expect(event.owner).not.toBe('api-key');
    expect(sockets[1]?.messages.filter((m) => m.type === 'data')).toEqual([]);
  });

  it('never delivers a schedule cancelled before it is due', async () => {
    // Prepare
    const keep = await createSchedule(stack, { delaySeconds: 2, payload: '{"keep":true}' });
    const drop = await createSchedule(stack, { delaySeconds: 2, payload: '{"keep":false}' });

    // Act
    const cancelled = await postGraphql(
      stack,
      { 'x-api-key': stack.apiKey },
      'mutation C($id: ID!) { cancelSchedule(id: $id) { id status } }',
      { id: drop },
    );
    const output = await readOutputQueue(stack, [keep]);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // Assess
    expect(cancelled.data).toEqual({ cancelSchedule: { id: drop, status: 'CANCELLED' } });
    expect(output.has(drop)).toBe(false);
    expect(stack.fired.map((sample) => sample.id)).toContain(keep);
    expect(stack.fired.map((sample) => sample.id)).not.toContain(drop);
  });

  it('pages through pending schedules with nextToken', async () => {
    // Prepare
    const token = await stack.mintToken(`pager-${Date.now()}`);
    const headers = { authorization: token };
    const created: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      created.push(
        await createSchedule(stack, { delaySeconds: 3600 + i, payload: String(i) }, headers),
      );
    }
    const query =
      'query P($nextToken: String) { pendingSchedules(limit: 3, nextToken: $nextToken) { items { id } nextToken } }';

    // Act
    const pages: string[][] = [];
    let nextToken: string | null = null;
    do {
      const result = await postGraphql(stack, headers, query, { nextToken });
      const page = result.data?.['pendingSchedules'] as {
        items: { id: string }[];
        nextToken: string | null;
      };
      pages.push(page.items.map((item) => item.id));
      nextToken = page.nextToken;
    } while (nextToken !== null && pages.length < 10);

    // Assess
    expect(pages.flat()).toEqual(created);
    expect(pages[0]).toHaveLength(3);
  });

  it('fires a burst due in the same second once each, within the lateness bound', async () => {
    // Prepare
    const dueAt = new Date(Date.now() + 6000).toISOString();
    const ids: string[] = [];
    for (let start = 0; start < 100; start += 10) {
      const batch = Array.from({ length: 10 }, (_, i) =>
        createSchedule(stack, { dueAt, payload: String(start + i) }),
      );
      ids.push(...(await Promise.all(batch)));
    }

    // Act
    const output = await readOutputQueue(stack, ids, 20_000);
    const published = () => stack.fired.filter((sample) => ids.includes(sample.id));
    await waitFor('every AppSync publish', () => published().length >= ids.length, 10_000);

    // Assess
    const samples = published();
    expect(output.size).toBe(100);
    expect(new Set(samples.map((sample) => sample.id)).size).toBe(samples.length);
    expect(samples).toHaveLength(100);
    expect(Math.max(...samples.map((sample) => sample.latenessMs))).toBeLessThan(LATENESS_BOUND_MS);
  });
});
