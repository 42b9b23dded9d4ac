import { createClient, type Client } from 'graphql-ws';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEV_TOKEN_ISSUER, devUserSub } from '@precise-scheduler/appsync-local';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { signAppSyncPost } from '../helpers/sigv4.js';
import { CREATE_SCHEDULE, postGraphql, postRaw, waitFor } from '../helpers/reliability-stack.js';

const READ = 'query R($id: ID!) { schedule(id: $id) { id owner payload } }';
const LIST = `query L($limit: Int, $nextToken: String) {
  pendingSchedules(limit: $limit, nextToken: $nextToken) { items { id owner } nextToken } }`;
const CANCEL = 'mutation C($id: ID!) { cancelSchedule(id: $id) { id status } }';
const PUBLISH = `mutation P($input: PublishScheduleFiredInput!) { publishScheduleFired(input: $input) { id } }`;
const ON_FIRED = 'subscription { onScheduleFired { id owner payload } }';

interface Event {
  readonly id: string;
  readonly owner: string;
}

function subscribe(stack: LocalStack, token: string, events: Event[]): Client {
  const client = createClient({
    url: stack.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: token },
  });
  client.subscribe<{ onScheduleFired: Event }>(
    { query: ON_FIRED },
    {
      next: (result) => {
        if (result.data) events.push(result.data.onScheduleFired);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return client;
}

async function sigV4Post(stack: LocalStack, body: string, secret: string, tamper?: string) {
  const headers = await signAppSyncPost(
    stack.graphqlUrl,
    body,
    { accessKeyId: stack.iamCredentials.accessKeyId, secretAccessKey: secret },
    tamper === 'stale' ? new Date(Date.now() - 3_600_000) : new Date(),
  );
  return postRaw(stack.graphqlUrl, tamper === 'body' ? body.replace('x', 'y') : body, headers);
}

describe('owner isolation and refused callers', () => {
  let stack: LocalStack;
  let alice: string;
  let bob: string;
  let aliceIds: string[];

  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, port: 0, quiet: true, pollWaitSeconds: 1 });
    alice = await stack.mintToken('alice');
    bob = await stack.mintToken('bob');
    aliceIds = [];
    for (let i = 0; i < 3; i += 1) {
      const input = { delaySeconds: 3600 + i, payload: JSON.stringify({ secret: `alice-${i}` }) };
      const reply = await postGraphql(
        stack.graphqlUrl,
        CREATE_SCHEDULE,
        { input },
        { token: alice },
      );
      aliceIds.push((reply.body.data?.['createSchedule'] as { id: string }).id);
    }
  });
  afterAll(async () => {
    await stack.stop();
  });

  it("never shows owner B owner A's schedule by id, in a list, or through A's page token", async () => {
    // Prepare
    const aliceId = aliceIds[0] as string;
    const alicePage = await postGraphql(stack.graphqlUrl, LIST, { limit: 1 }, { token: alice });
    const token = (alicePage.body.data?.['pendingSchedules'] as { nextToken: string }).nextToken;
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    // Act
    const read = await postGraphql(stack.graphqlUrl, READ, { id: aliceId }, { token: bob });
    const list = await postGraphql(stack.graphqlUrl, LIST, {}, { token: bob });
    const pagedInto = await postGraphql(
      stack.graphqlUrl,
      LIST,
      { nextToken: token },
      { token: bob },
    );
    const forged = await postGraphql(
      stack.graphqlUrl,
      LIST,
      { nextToken: tampered },
      { token: bob },
    );
    const keyed = await postGraphql(
      stack.graphqlUrl,
      READ,
      { id: aliceId },
      { apiKey: stack.apiKey },
    );
    // Assess
    expect(typeof token).toBe('string');
    expect(read.body.data?.['schedule']).toBeNull();
    expect(list.body.data?.['pendingSchedules']).toEqual({ items: [], nextToken: null });
    expect(pagedInto.raw).not.toContain('alice');
    expect(pagedInto.body.errors?.[0]?.errorType).toBeTruthy();
    expect(forged.raw).not.toContain('alice');
    expect(forged.body.errors?.[0]?.errorType).toBeTruthy();
    expect(keyed.body.data?.['schedule']).toBeNull();
  });

  it("refuses owner B's cancel of owner A's schedule, which stays pending", async () => {
    // Prepare
    const aliceId = aliceIds[1] as string;
    // Act
    const cancel = await postGraphql(stack.graphqlUrl, CANCEL, { id: aliceId }, { token: bob });
    const after = await postGraphql(stack.graphqlUrl, READ, { id: aliceId }, { token: alice });
    // Assess
    expect(cancel.body.data?.['cancelSchedule'] ?? null).toBeNull();
    expect(cancel.body.errors?.[0]?.errorType).toBe('NotFoundError');
    expect(cancel.raw).not.toContain('alice');
    expect((after.body.data?.['schedule'] as { id: string }).id).toBe(aliceId);
  });

  it("delivers a fired schedule to its owner's subscription only", async () => {
    // Prepare
    const aliceEvents: Event[] = [];
    const bobEvents: Event[] = [];
    const clients = [subscribe(stack, alice, aliceEvents), subscribe(stack, bob, bobEvents)];
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Act
    const input = { delaySeconds: 1, payload: '{"secret":"alice-live"}' };
    const created = await postGraphql(
      stack.graphqlUrl,
      CREATE_SCHEDULE,
      { input },
      { token: alice },
    );
    const id = (created.body.data?.['createSchedule'] as { id: string }).id;
    const seen = await waitFor(() => aliceEvents.some((event) => event.id === id), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await Promise.all(clients.map((client) => client.dispose()));
    // Assess
    expect(seen).toBe(true);
    expect(bobEvents).toEqual([]);
  });

  it('refuses the IAM-only publish mutation to user tokens and the API key', async () => {
    // Prepare
    const input = {
      id: aliceIds[2],
      owner: devUserSub('bob'),
      dueAt: '2030-01-01T00:00:00.000Z',
      firedAt: '2030-01-01T00:00:00.000Z',
      latenessMs: 0,
      payload: '{"spoofed":true}',
    };
    // Act
    const asUser = await postGraphql(stack.graphqlUrl, PUBLISH, { input }, { token: bob });
    const asKey = await postGraphql(stack.graphqlUrl, PUBLISH, { input }, { apiKey: stack.apiKey });
    // Assess
    expect(asUser.body.errors?.[0]?.errorType).toBe('Unauthorized');
    expect(asKey.body.errors?.[0]?.errorType).toBe('Unauthorized');
    expect(asUser.body.data?.['publishScheduleFired'] ?? null).toBeNull();
  });

  it('refuses forged, expired, wrongly signed and unsigned tokens with HTTP 401', async () => {
    // Prepare
    const claims = { 'cognito:username': 'alice', token_use: 'id' };
    const sign = (secret: string, issuer = DEV_TOKEN_ISSUER) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(devUserSub('alice'))
        .setIssuer(issuer)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(secret));
    const [header, payload] = alice.split('.') as [string, string];
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    const swapped = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: devUserSub('bob') })).toString('base64url')}.${alice.split('.')[2]}`;
    const tokens = {
      wrongKey: await sign('not-the-stack-secret-not-the-stack-secret'),
      wrongIssuer: await sign('x', 'https://evil.example'),
      expired: await stack.mintToken('alice', { expiresInSeconds: -60 }),
      unsigned,
      swapped,
      overlong: 'a'.repeat(8_000),
      empty: 'Bearer ',
    };
    // Act
    const replies = await Promise.all(
      Object.entries(tokens).map(async ([name, token]) => {
        const reply = await postGraphql(stack.graphqlUrl, LIST, {}, { token });
        return [name, `${reply.status} ${reply.body.errors?.[0]?.errorType}`] as const;
      }),
    );
    const huge = await postGraphql(stack.graphqlUrl, LIST, {}, { token: 'a'.repeat(20_000) });
    // Assess: headers past Node's 16 KiB cap are refused by the HTTP parser itself
    expect(huge.status).toBe(431);
    const expected = Object.fromEntries(
      Object.keys(tokens).map((name) => [name, '401 UnauthorizedException']),
    );
    expect(Object.fromEntries(replies)).toEqual(expected);
  });

  it('refuses a subscription over graphql-ws with an expired or forged token', async () => {
    // Prepare
    const expired = await stack.mintToken('alice', { expiresInSeconds: -60 });
    const forged = `${alice.slice(0, -6)}AAAAAA`;
    // Act
    const outcomes = await Promise.all(
      [expired, forged].map(
        (token) =>
          new Promise<string>((resolve) => {
            const client = createClient({
              url: stack.graphqlUrl.replace(/^http/, 'ws'),
              webSocketImpl: WebSocket,
              connectionParams: { Authorization: token },
              retryAttempts: 0,
              on: { closed: (event) => resolve(`closed ${(event as { code: number }).code}`) },
            });
            client.subscribe(
              { query: ON_FIRED },
              {
                next: () => resolve('event'),
                error: () => undefined,
                complete: () => undefined,
              },
            );
          }),
      ),
    );
    // Assess: graphql-ws closes with 4403 Forbidden when onConnect refuses
    expect(outcomes).toEqual(['closed 4403', 'closed 4403']);
  });

  it('refuses SigV4 requests signed with the wrong secret, over a changed body, or too long ago', async () => {
    // Prepare
    const body = JSON.stringify({
      query: '{ pendingSchedules { items { id } } }',
      variables: { x: 'x' },
    });
    const secret = stack.iamCredentials.secretAccessKey;
    // Act
    const good = await sigV4Post(stack, body, secret);
    const wrongSecret = await sigV4Post(stack, body, 'wrong-secret');
    const changedBody = await sigV4Post(stack, body, secret, 'body');
    const stale = await sigV4Post(stack, body, secret, 'stale');
    // Assess
    expect(good.status).toBe(200);
    for (const reply of [wrongSecret, changedBody, stale]) {
      expect(reply.status).toBe(401);
      expect(reply.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
    }
  });
});
