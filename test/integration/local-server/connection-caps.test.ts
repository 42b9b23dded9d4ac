import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_LIMITS } from '@precise-scheduler/appsync-local';
import { startLocalStack, type LocalStack } from '../../../src/local/stack.js';
import {
  errorsOf,
  openGraphqlWsRaw,
  openRealtimeRaw,
  type Frame,
  type RawClient,
} from '../../security/protocol-clients.js';

const ON_FIRED = 'subscription { onScheduleFired { id } }';
const KEEP_ALIVE_MS = 100;
const { maxSubscriptions, maxMessagesPerSecond } = DEFAULT_CONNECTION_LIMITS;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, port: 0, quiet: true, keepAliveMs: KEEP_ALIVE_MS });
});
afterAll(async () => {
  await stack?.stop();
});

function openRealtime(): Promise<RawClient> {
  const host = new URL(stack.graphqlUrl).host;
  return openRealtimeRaw(stack.realtimeUrl, { host, 'x-api-key': stack.apiKey });
}

const start = (id: string) =>
  JSON.stringify({ type: 'start', id, payload: { data: JSON.stringify({ query: ON_FIRED }) } });
const isType = (type: string, id?: unknown) => (frame: Frame) =>
  frame.type === type && (id === undefined || frame.id === id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('AppSync real-time connection hygiene', () => {
  it('answers a burst of repeated connection_init with one ack, then a protocol error and close 4429', async () => {
    // Prepare
    const client = await openRealtime();
    // Act: all in one burst, before the first is answered.
    for (let i = 0; i < 50; i += 1) client.send('{"type":"connection_init"}');
    const code = await client.waitClosed();
    // Assess
    // The close may overtake the first init's ack, as with graphql-ws.
    expect(client.frames.filter(isType('connection_ack')).length).toBeLessThanOrEqual(1);
    const [refusal] = client.frames.filter(isType('connection_error'));
    expect(errorsOf(refusal as Frame)[0]?.message).toMatch(/connection_init.*already/);
    expect(code).toBe(4429);
  });

  it('sends keep-alives from exactly one timer per connection', async () => {
    // Prepare
    const client = await openRealtime();
    client.send('{"type":"connection_init"}');
    await client.waitFor(isType('connection_ack'));
    // Act
    await sleep(3 * KEEP_ALIVE_MS);
    const before = client.frames.filter(isType('ka')).length;
    await sleep(10 * KEEP_ALIVE_MS);
    const counted = client.frames.filter(isType('ka')).length - before;
    // Assess: one timer gives about ten in ten intervals; two would give twenty.
    expect(counted).toBeGreaterThanOrEqual(5);
    expect(counted).toBeLessThanOrEqual(14);
    client.close();
  });

  it(`refuses subscription ${maxSubscriptions + 1} on one connection with an error naming the cap, and frees a place on stop`, async () => {
    // Prepare
    const client = await openRealtime();
    client.send('{"type":"connection_init"}');
    await client.waitFor(isType('connection_ack'));
    // Act
    for (let i = 0; i <= maxSubscriptions; i += 1) client.send(start(`s${i}`));
    const refused = await client.waitFor(isType('error', `s${maxSubscriptions}`));
    const acks = await Promise.all(
      Array.from({ length: maxSubscriptions }, (_, i) =>
        client.waitFor(isType('start_ack', `s${i}`)),
      ),
    );
    client.send(JSON.stringify({ type: 'stop', id: 's0' }));
    await client.waitFor(isType('complete', 's0'));
    client.send(start('again'));
    const again = await client.waitFor(isType('start_ack', 'again'));
    // Assess
    expect(acks).toHaveLength(maxSubscriptions);
    expect(errorsOf(refused)[0]).toMatchObject({
      errorType: 'LimitExceededError',
      message: expect.stringMatching(new RegExp(`limit of ${maxSubscriptions}.*received`)),
    });
    expect(again.id).toBe('again');
    client.close();
  });

  it('refuses messages over the per-connection rate with error frames naming the cap, then serves again', async () => {
    // Prepare
    const client = await openRealtime();
    client.send('{"type":"connection_init"}');
    await client.waitFor(isType('connection_ack'));
    const burst = maxMessagesPerSecond * 2;
    // Act
    for (let i = 0; i < burst; i += 1) client.send(JSON.stringify({ type: 'stop', id: `x${i}` }));
    const last = `x${burst - 1}`;
    await client.waitFor((f) => (f.type === 'complete' || f.type === 'error') && f.id === last);
    const completes = client.frames.filter(isType('complete')).length;
    const refusals = client.frames.filter(isType('error'));
    await sleep(1100);
    client.send(start('later'));
    const later = await client.waitFor(isType('start_ack', 'later'));
    // Assess
    expect(completes).toBeLessThanOrEqual(maxMessagesPerSecond);
    expect(refusals.length).toBeGreaterThanOrEqual(burst - 2 * maxMessagesPerSecond + 1);
    expect(errorsOf(refusals[0] as Frame)[0]).toMatchObject({
      errorType: 'LimitExceededError',
      message: expect.stringMatching(
        new RegExp(`limit of ${maxMessagesPerSecond} messages per second`),
      ),
    });
    expect(later.id).toBe('later');
    expect(client.closeCode).toBeUndefined();
    client.close();
  });
});

describe('graphql-ws connection caps', () => {
  it(`refuses subscription ${maxSubscriptions + 1} on one connection with an error message for its id`, async () => {
    // Prepare
    const client = await openGraphqlWsRaw(stack.graphqlUrl.replace(/^http/, 'ws'), stack.apiKey);
    const subscribe = (id: string) =>
      JSON.stringify({ type: 'subscribe', id, payload: { query: ON_FIRED } });
    // Act
    for (let i = 0; i < maxSubscriptions; i += 1) client.send(subscribe(`s${i}`));
    await sleep(500);
    client.send(subscribe('over'));
    const refused = await client.waitFor(isType('error', 'over'));
    // Assess
    expect(errorsOf(refused)[0]?.message).toMatch(new RegExp(`limit of ${maxSubscriptions}`));
    expect(client.closeCode).toBeUndefined();
    client.close();
  });
});
