import { buildSchema, parse, subscribe, type ExecutionResult } from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ResolverEntry } from '../../../src/manifest.js';
import type { Caller } from '../../../src/contract.js';
import { toAppSyncError } from '../../../src/engine/errors.js';
import { installFieldResolvers } from '../../../src/engine/field-resolvers.js';
import { SubscriptionHub } from '../../../src/engine/pubsub.js';
import type { ResolverOutcome, ResolverRuntime } from '../../../src/runtime/index.js';

const builtins = readFileSync(
  new URL('../../../appsync-builtins.graphql', import.meta.url),
  'utf8',
);
const SDL = `${builtins}
  type Query { ping: String @aws_api_key }
  type Mutation { poke: String @aws_api_key }
  type Subscription { onPoke: String @aws_subscribe(mutations: ["poke"]) @aws_api_key }`;
const entry: ResolverEntry = {
  typeName: 'Subscription',
  fieldName: 'onPoke',
  kind: 'UNIT',
  dataSource: 'none',
  code: 'Subscription.onPoke.js',
};
const caller: Caller = { authMode: 'API_KEY', identity: null, headers: {} };

/** A runtime stand-in returning a fixed outcome (the real one needs built bundles). */
function stubRuntime(outcome: ResolverOutcome): ResolverRuntime {
  return { resolve: async () => outcome, load: async () => undefined };
}

async function subscribeWith(outcome: ResolverOutcome) {
  const schema = buildSchema(SDL);
  const hub = new SubscriptionHub();
  installFieldResolvers({
    schema,
    resolvers: [entry],
    runtime: stubRuntime(outcome),
    defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS',
    hub,
  });
  const result = await subscribe({
    schema,
    document: parse('subscription { onPoke }'),
    contextValue: { caller, appended: [] },
  });
  return { hub, result };
}

describe('subscription field wiring (runtime stubbed)', () => {
  it('a subscription resolver that raises util.error refuses the subscription', async () => {
    // Act
    const { hub, result } = await subscribeWith({
      data: null,
      errors: [{ message: 'not for you', errorType: 'Unauthorized' }],
    });

    // Assess
    expect(Symbol.asyncIterator in result).toBe(false);
    const errors = (result as ExecutionResult).errors?.map((e) => toAppSyncError(e).toJSON());
    expect(errors?.[0]).toMatchObject({ message: 'not for you', errorType: 'Unauthorized' });
    expect(hub.size).toBe(0);
  });

  it('a null response without errors opens the subscription with the resolver filter', async () => {
    // Act
    const { hub, result } = await subscribeWith({
      data: null,
      errors: [],
      subscriptionFilter: {
        filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: 'me' }] }],
      },
    });

    // Assess
    expect(Symbol.asyncIterator in result).toBe(true);
    expect(hub.publish('onPoke', { owner: 'someone else' })).toBe(0);
    expect(hub.publish('onPoke', { owner: 'me' })).toBe(1);
  });
});
