import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '@precise-scheduler/appsync-local';
import {
  API_KEY_CALLER,
  IAM_CALLER,
  asJson,
  startEngineHarness,
  userCaller,
  type EngineHarness,
} from './harness.js';

const PUBLISH = `mutation Publish($input: PublishScheduleFiredInput!) {
  publishScheduleFired(input: $input) { id owner dueAt firedAt latenessMs payload }
}`;
const ON_FIRED = 'subscription { onScheduleFired { id owner latenessMs payload } }';

function firedEvent(owner: string, id: string) {
  return {
    id,
    owner,
    dueAt: '2027-03-20T09:46:47.123Z',
    firedAt: '2027-03-20T09:46:47.150Z',
    latenessMs: 27,
    payload: JSON.stringify({ for: owner }),
  };
}

async function open(h: EngineHarness, caller: Caller) {
  const events = await h.engine.subscribe({ query: ON_FIRED }, caller);
  if (!(Symbol.asyncIterator in events)) {
    throw new Error(`subscribe failed: ${JSON.stringify(events)}`);
  }
  return events as AsyncIterableIterator<ExecutionResult>;
}

describe('auth directives and onScheduleFired filters (engine, runtime)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('a user pool caller may not publishScheduleFired (IAM only)', async () => {
    // Act
    const result = await h.run(userCaller('alice'), PUBLISH, { input: firedEvent('alice', 'e1') });

    // Assess
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({
        errorType: 'Unauthorized',
        message: 'Not Authorized to access publishScheduleFired on type Mutation',
        path: ['publishScheduleFired'],
        data: null,
        errorInfo: null,
        locations: [{ line: 2, column: 3 }],
      }),
    ]);
  });

  it('an API-key caller may not publish either; an IAM caller gets the event back', async () => {
    // Act
    const byKey = await h.run(API_KEY_CALLER, PUBLISH, { input: firedEvent('alice', 'e2') });
    const byIam = await h.run(IAM_CALLER, PUBLISH, { input: firedEvent('alice', 'e3') });

    // Assess
    expect(byKey.errors?.[0]?.errorType).toBe('Unauthorized');
    expect(byIam.errors).toBeUndefined();
    expect(byIam.data?.['publishScheduleFired']).toEqual(firedEvent('alice', 'e3'));
  });

  it('an auth mode the API does not enable is refused', async () => {
    // Prepare
    const engine = h.engine;

    // Act
    const result = asJson(
      await engine.execute(
        { query: '{ schedule(id: "x") { id } }' },
        { authMode: 'OPENID_CONNECT' as Caller['authMode'], identity: null, headers: {} },
      ),
    );

    // Assess
    expect(result.errors?.[0]?.errorType).toBe('UnauthorizedException');
  });

  it('a subscriber receives only its own owner events, shaped by its own selection', async () => {
    // Prepare
    const alice = await open(h, userCaller('alice'));
    const bob = await open(h, userCaller('bob'));
    const aliceNext = alice.next();
    const bobNext = bob.next();

    // Act
    await h.run(IAM_CALLER, PUBLISH, { input: firedEvent('bob', 'for-bob') });
    await h.run(IAM_CALLER, PUBLISH, { input: firedEvent('alice', 'for-alice') });

    // Assess
    expect(asJson((await aliceNext).value)).toEqual({
      data: {
        onScheduleFired: {
          id: 'for-alice',
          owner: 'alice',
          latenessMs: 27,
          payload: '{"for":"alice"}',
        },
      },
    });
    expect(asJson((await bobNext).value).data?.['onScheduleFired'].id).toBe('for-bob');
    await alice.return?.();
    await bob.return?.();
  });

  it('the api-key owner subscribes to api-key events; returning ends the subscription', async () => {
    // Prepare
    const shared = await open(h, API_KEY_CALLER);
    const next = shared.next();
    const openBefore = h.engine.subscriptionCount;

    // Act
    await h.run(IAM_CALLER, PUBLISH, { input: firedEvent('api-key', 'shared-1') });
    const first = await next;
    await shared.return?.();

    // Assess
    expect(asJson(first.value).data?.['onScheduleFired'].id).toBe('shared-1');
    expect(h.engine.subscriptionCount).toBe(openBefore - 1);
    expect((await shared.next()).done).toBe(true);
  });

  it('a query in subscribe() and a bad document come back as error results', async () => {
    // Act
    const notSubscription = asJson(
      (await h.engine.subscribe(
        { query: '{ schedule(id: "x") { id } }' },
        API_KEY_CALLER,
      )) as ExecutionResult,
    );
    const unknownField = asJson(
      (await h.engine.subscribe(
        { query: 'subscription { nope }' },
        API_KEY_CALLER,
      )) as ExecutionResult,
    );

    // Assess
    expect(notSubscription.errors?.[0]?.message).toContain('subscription operation');
    expect(unknownField.errors?.[0]?.message).toContain('Cannot query field "nope"');
    expect(unknownField.errors?.[0]?.errorType).toBe('ValidationError');
  });
});

describe('closing the engine (engine, runtime)', () => {
  it('ends every open subscription and refuses later requests', async () => {
    // Prepare
    const h = await startEngineHarness();
    const events = await open(h, userCaller('carol'));
    const pending = events.next();

    // Act
    await h.engine.close();

    // Assess
    expect((await pending).done).toBe(true);
    const after = asJson(await h.engine.execute({ query: '{ __typename }' }, API_KEY_CALLER));
    expect(after.errors?.[0]?.message).toBe('The GraphQL engine is closed');
    await h.stop();
  });
});
