import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import {
  errorsOf,
  openGraphqlWsRaw,
  openRealtimeRaw,
  type Frame,
  type RawClient,
} from './protocol-clients.js';
import {
  HOSTILE_DOCUMENTS,
  HOSTILE_REALTIME_FRAMES,
  HOSTILE_VARIABLES,
  INTERNAL_TEXTS,
} from './protocol-corpus.js';

const ON_FIRED = 'subscription { onScheduleFired { id } }';
const KEEP_ALIVE_MS = 100;

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, port: 0, quiet: true, keepAliveMs: KEEP_ALIVE_MS });
});
afterAll(async () => {
  await stack?.stop();
});

async function postRaw(body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey },
    body,
  });
  return { status: response.status, text: await response.text() };
}

async function realtime(): Promise<RawClient> {
  const host = new URL(stack.graphqlUrl).host;
  const client = await openRealtimeRaw(stack.realtimeUrl, { host, 'x-api-key': stack.apiKey });
  client.send(JSON.stringify({ type: 'connection_init' }));
  await client.waitFor((frame) => frame.type === 'connection_ack');
  return client;
}

function graphqlWs(): Promise<RawClient> {
  return openGraphqlWsRaw(stack.graphqlUrl.replace(/^http/, 'ws'), stack.apiKey);
}

/** A real-time start frame whose data carries `variablesJson` verbatim. */
function startWith(id: string, query: string, variablesJson?: string): string {
  const data = `{"query":${JSON.stringify(query)}${variablesJson === undefined ? '' : `,"variables":${variablesJson}`}}`;
  return `{"type":"start","id":"${id}","payload":{"data":${JSON.stringify(data)}}}`;
}

function subscribeWith(id: string, query: string, variablesJson?: string): string {
  const variables = variablesJson === undefined ? '' : `,"variables":${variablesJson}`;
  return `{"type":"subscribe","id":"${id}","payload":{"query":${JSON.stringify(query)}${variables}}}`;
}

const isType = (type: string, id?: unknown) => (frame: Frame) =>
  frame.type === type && (id === undefined || frame.id === id);

const hostileRequests = [
  ...HOSTILE_VARIABLES.map((shape) => ({ ...shape, query: ON_FIRED })),
  ...HOSTILE_DOCUMENTS.map((shape) => ({ ...shape, variablesJson: undefined })),
];

describe('hostile request shapes over HTTP', () => {
  it.each(hostileRequests)(
    '$name: HTTP 400 naming the limit and the value received',
    async (shape) => {
      // Prepare
      const variables =
        shape.variablesJson === undefined ? '' : `,"variables":${shape.variablesJson}`;
      const body = `{"query":${JSON.stringify(shape.query)}${variables}}`;
      // Act
      const reply = await postRaw(body);
      // Assess
      expect(reply.status).toBe(400);
      const error = (JSON.parse(reply.text) as { errors: { errorType: string; message: string }[] })
        .errors[0];
      expect(error?.errorType).toBe('QueryLimitExceeded');
      expect(error?.message).toMatch(shape.limit);
      expect(error?.message).toMatch(/exceeds the limit of [\d,]+.*; received /);
      expect(reply.text).not.toMatch(INTERNAL_TEXTS);
    },
  );

  it('refuses wrong-typed members of the body with 400, naming the member and what was received', async () => {
    // Act
    const replies = await Promise.all(
      [
        'null',
        '[]',
        '"q"',
        '{"query":7}',
        '{"query":"{ __typename }","operationName":{}}',
        '{"query":"{ __typename }","variables":[[[]]]}',
      ].map(postRaw),
    );
    const fine = await postRaw('{"query":"{ __typename }"}');
    // Assess
    for (const reply of replies) {
      expect(reply.status).toBe(400);
      expect(reply.text).toMatch(/received/);
      expect(reply.text).not.toMatch(INTERNAL_TEXTS);
    }
    expect(fine).toEqual({ status: 200, text: '{"data":{"__typename":"Query"}}' });
  });
});

describe('hostile request shapes over the AppSync real-time protocol', () => {
  it('answers each with an error frame carrying its id, and the connection stays usable', async () => {
    // Prepare
    const client = await realtime();
    // Act
    hostileRequests.forEach((shape, i) =>
      client.send(startWith(`h${i}`, shape.query, shape.variablesJson)),
    );
    const refusals = await Promise.all(
      hostileRequests.map((_, i) => client.waitFor(isType('error', `h${i}`), 20_000)),
    );
    client.send(startWith('ok', ON_FIRED));
    const ack = await client.waitFor(isType('start_ack', 'ok'));
    // Assess
    refusals.forEach((frame, i) => {
      const [error] = errorsOf(frame);
      expect(error?.errorType).toBe('QueryLimitExceeded');
      expect(error?.message).toMatch(hostileRequests[i]?.limit ?? /never/);
    });
    expect(ack.id).toBe('ok');
    expect(client.closeCode).toBeUndefined();
    expect(client.texts.join('\n')).not.toMatch(INTERNAL_TEXTS);
    client.close();
  });

  it.each(HOSTILE_REALTIME_FRAMES)(
    '$name: a protocol error frame, never an internal text',
    async (hostile) => {
      // Prepare
      const client = await realtime();
      // Act
      client.send(hostile.text);
      const frame = await client.waitFor(isType('error'));
      client.send(startWith('after', ON_FIRED));
      await client.waitFor(isType('start_ack', 'after'));
      // Assess
      expect(errorsOf(frame)[0]?.errorType).toBe(hostile.errorType);
      expect(errorsOf(frame)[0]?.message).toMatch(/received/);
      expect(frame.id).toEqual(hostile.echoId);
      expect(client.texts.join('\n')).not.toMatch(INTERNAL_TEXTS);
      expect(client.closeCode).toBeUndefined();
      client.close();
    },
  );

  it('treats a stop for an unknown id as harmless', async () => {
    // Prepare
    const client = await realtime();
    // Act
    client.send('{"type":"stop","id":"never-started"}');
    client.send(startWith('s', ON_FIRED));
    await client.waitFor(isType('start_ack', 's'));
    // Assess
    expect(client.frames.filter(isType('error'))).toEqual([]);
    expect(client.closeCode).toBeUndefined();
    client.close();
  });
});

describe('hostile request shapes over graphql-ws', () => {
  it('answers each with an error message for its id, and the connection stays open', async () => {
    // Prepare
    const client = await graphqlWs();
    // Act
    hostileRequests.forEach((shape, i) =>
      client.send(subscribeWith(`h${i}`, shape.query, shape.variablesJson)),
    );
    const refusals = await Promise.all(
      hostileRequests.map((_, i) => client.waitFor(isType('error', `h${i}`), 20_000)),
    );
    client.send(subscribeWith('ok', '{ __typename }'));
    const next = await client.waitFor(isType('next', 'ok'));
    // Assess
    refusals.forEach((frame, i) => {
      const [error] = errorsOf(frame);
      expect(error?.extensions?.errorType).toBe('QueryLimitExceeded');
      expect(error?.message).toMatch(hostileRequests[i]?.limit ?? /never/);
    });
    expect(next.payload).toEqual({ data: { __typename: 'Query' } });
    expect(client.closeCode).toBeUndefined();
    expect(client.texts.join('\n')).not.toMatch(INTERNAL_TEXTS);
    client.close();
  });
});
