import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { mintDevToken } from '@precise-scheduler/appsync-local';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { signAppSyncPost } from '../helpers/sigv4.js';
import { ON_FIRED, openRealtime, postGraphql, waitFor } from './e2e-helpers.js';

const QUERY = '{ pendingSchedules { items { id } } }';
const PUBLISH = `mutation { publishScheduleFired(input: { id: "1-0-x", owner: "o", dueAt: "2026-01-01T00:00:00.000Z",
  firedAt: "2026-01-01T00:00:00.000Z", latenessMs: 0, payload: "{}" }) { id } }`;

async function postSigned(stack: LocalStack, query: string, secret: string) {
  const body = JSON.stringify({ query });
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: await signAppSyncPost(stack.graphqlUrl, body, {
      accessKeyId: stack.iamCredentials.accessKeyId,
      secretAccessKey: secret,
    }),
    body,
  });
  return {
    status: response.status,
    ...((await response.json()) as { errors?: { errorType: string }[]; data?: unknown }),
  };
}

describe('local endpoint refuses callers as AppSync does', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, port: 0, quiet: true });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('answers 401 UnauthorizedException to no key, a bad key, forged and expired JWTs', async () => {
    // Prepare
    const forged = await mintDevToken(Buffer.alloc(32, 7).toString('base64url'), 'mallory');
    const expired = await stack.mintToken('alice', { expiresInSeconds: -60 });
    const attempts: Record<string, string>[] = [
      {},
      { 'x-api-key': 'da2-wrong' },
      { authorization: forged },
      { authorization: expired },
    ];

    // Act
    const results = await Promise.all(
      attempts.map((headers) => postGraphql(stack, headers, QUERY)),
    );

    // Assess
    for (const result of results) {
      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.errorType).toBe('UnauthorizedException');
      expect(result.data).toBeUndefined();
    }
  });

  it('accepts SigV4 signed with the stack credentials and refuses a bad signature', async () => {
    // Act
    const good = await postSigned(stack, PUBLISH, stack.iamCredentials.secretAccessKey);
    const bad = await postSigned(stack, PUBLISH, 'not-the-secret');

    // Assess
    expect(good.status).toBe(200);
    expect(good.errors).toBeUndefined();
    expect(bad.status).toBe(401);
    expect(bad.errors?.[0]?.errorType).toBe('UnauthorizedException');
  });

  it('enforces @aws_iam: an API-key caller cannot publish fired events', async () => {
    // Act
    const result = await postGraphql(stack, { 'x-api-key': stack.apiKey }, PUBLISH);

    // Assess
    expect(result.errors?.[0]?.errorType).toBe('Unauthorized');
  });

  it('refuses a real-time connection with a bad key with connection_error', async () => {
    // Prepare
    const socket = await openRealtime(stack.realtimeUrl, { host: 'x', 'x-api-key': 'da2-wrong' });

    // Act
    socket.send({ type: 'connection_init' });
    const refusal = await socket.next('connection_error');
    socket.close();

    // Assess
    expect(refusal.payload).toMatchObject({ errors: [{ errorType: 'UnauthorizedException' }] });
  });

  it('refuses a real-time start whose own authorization is forged', async () => {
    // Prepare
    const host = new URL(stack.graphqlUrl).host;
    const socket = await openRealtime(stack.realtimeUrl, { host, 'x-api-key': stack.apiKey });
    socket.send({ type: 'connection_init' });
    await socket.next('connection_ack');

    // Act
    const data = JSON.stringify({ query: ON_FIRED });
    socket.send({
      id: 'a',
      type: 'start',
      payload: { data, extensions: { authorization: { host, Authorization: 'forged.jwt.value' } } },
    });
    const error = await socket.next('error', 'a');
    socket.close();

    // Assess
    expect(error.payload).toMatchObject({ errors: [{ errorType: 'UnauthorizedException' }] });
  });

  it('closes a graphql-ws connection whose connection_init carries a bad key', async () => {
    // Prepare
    let closeCode = 0;
    const client = createClient({
      url: stack.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': 'da2-wrong' },
      retryAttempts: 0,
      on: { closed: (event) => (closeCode = (event as { code: number }).code) },
    });

    // Act
    const outcome = await new Promise<string>((resolve) => {
      client.subscribe(
        { query: ON_FIRED },
        {
          next: () => resolve('next'),
          error: () => resolve('error'),
          complete: () => resolve('complete'),
        },
      );
    });
    await client.dispose();

    // Assess
    expect(outcome).toBe('error');
    expect(closeCode).toBe(4403);
  });

  it('accepts connection auth in the header query parameter, as older AppSync clients send it', async () => {
    // Prepare
    const host = new URL(stack.graphqlUrl).host;
    const header = Buffer.from(JSON.stringify({ host, 'x-api-key': stack.apiKey })).toString(
      'base64',
    );
    const url = `${stack.realtimeUrl}?header=${encodeURIComponent(header)}&payload=e30=`;
    const socket = new WebSocket(url, ['graphql-ws']);
    const messages: { type: string }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
    await new Promise((resolve) => socket.once('open', resolve));

    // Act
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await waitFor('connection_ack', () => messages.some((m) => m.type === 'connection_ack'), 5000);
    socket.close();

    // Assess
    expect(messages.some((m) => m.type === 'connection_error')).toBe(false);
  });
});
