import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUERY_LIMITS,
  QUERY_LIMIT_ERROR_TYPE,
  checkQueryLimits,
  jsonNestingDepth,
  withQueryLimits,
} from '../../src/local/server/limits.js';
import type { LocalGraphqlEngine } from '../../src/local/appsync/contract.js';

const nested = (depth: number) => `${'{ a '.repeat(depth)}${'}'.repeat(depth)}`;

function messagesOf(query: string): string[] {
  return checkQueryLimits(query).map((error) => {
    expect((error as unknown as { errorType: string }).errorType).toBe(QUERY_LIMIT_ERROR_TYPE);
    return error.message;
  });
}

describe('query depth and size limits', () => {
  it('passes the documents real clients send, introspection included', () => {
    // Prepare
    const create =
      'mutation C($i: CreateScheduleInput!) { createSchedule(input: $i) { id status } }';
    // Act / Assess
    expect(messagesOf(create)).toEqual([]);
    expect(messagesOf(getIntrospectionQuery())).toEqual([]);
    expect(messagesOf(nested(DEFAULT_QUERY_LIMITS.maxDepth))).toEqual([]);
  });

  it('refuses deep nesting, alias floods and field fan-out, naming the limit and the value', () => {
    // Prepare
    const aliases = `{ ${Array.from({ length: 21 }, (_, i) => `a${i}: schedule(id: "x") { id }`).join(' ')} }`;
    const fanOut = [
      'query Q { ...F5 }',
      'fragment F0 on Query { schedule(id: "x") { id owner } }',
      ...[1, 2, 3, 4, 5].map(
        (n) => `fragment F${n} on Query { ...F${n - 1} ...F${n - 1} ...F${n - 1} ...F${n - 1} }`,
      ),
    ].join('\n');
    // Act
    const deep = messagesOf(nested(16));
    const flood = messagesOf(aliases);
    const fan = messagesOf(fanOut);
    // Assess
    expect(deep).toEqual([
      'Query depth of operation anonymous exceeds the limit of 15; received 16',
    ]);
    expect(flood).toEqual([
      'Alias count of operation anonymous exceeds the limit of 20; received 21',
    ]);
    expect(fan).toEqual(['Field count of operation Q exceeds the limit of 500; received 3072']);
  });

  it('refuses oversized documents and token floods before walking them, and survives fragment cycles', () => {
    // Prepare
    const big = `{ schedule(id: "${'x'.repeat(40_000)}") { id } }`;
    const tokens = `{ ${'a '.repeat(5000)} }`;
    const cycle = 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
    // Act / Assess
    expect(messagesOf(big)[0]).toMatch(
      /document size in bytes exceeds the limit of 32768; received 400\d\d/,
    );
    expect(messagesOf(tokens)[0]).toMatch(/token count exceeds the limit of 4000/);
    expect(messagesOf(cycle)).toEqual([]);
    expect(messagesOf('{ broken')).toEqual([]);
  });

  it('refuses deeply nested JSON in string literals and variables before anything parses it', async () => {
    // Prepare
    const deep = `${'['.repeat(65)}${']'.repeat(65)}`;
    const tricky = `{"a":"${'['.repeat(100)}","b":[[1]]}`;
    const limited = withQueryLimits({
      execute: async () => ({ data: { ok: true } }),
      subscribe: async () => ({ data: {} }),
    });
    const caller = { authMode: 'API_KEY' as const, identity: null, headers: {} };
    // Act
    const literal = messagesOf(`{ schedule(id: ${JSON.stringify(deep)}) { id } }`);
    const variable = await limited.execute(
      { query: '{ __typename }', variables: { a: [{ b: deep }] } },
      caller,
    );
    const inString = await limited.execute(
      { query: '{ __typename }', variables: { p: tricky } },
      caller,
    );
    const notObject = await limited.execute(
      { query: '{ __typename }', variables: 'x' as never },
      caller,
    );
    // Assess
    expect(jsonNestingDepth(tricky)).toBe(3);
    expect(literal).toEqual([
      'The JSON nesting depth of a string value exceeds the limit of 64; received 65',
    ]);
    expect(variable.errors?.[0]?.message).toMatch(/nesting depth .* received 65/);
    expect(inString.data).toEqual({ ok: true });
    expect(notObject.errors?.[0]?.message).toBe('"variables" must be a JSON object; received "x"');
  });

  it('answers a refused request itself and never calls the engine, also for a query text it passed before', async () => {
    // Prepare
    let calls = 0;
    const engine: LocalGraphqlEngine = {
      execute: async () => {
        calls += 1;
        return { data: {} };
      },
      subscribe: async () => {
        calls += 1;
        return { data: {} };
      },
    };
    const limited = withQueryLimits(engine);
    const caller = { authMode: 'API_KEY' as const, identity: null, headers: {} };
    // Act
    const refused = await limited.execute({ query: nested(20) }, caller);
    const refusedSub = await limited.subscribe({ query: nested(20) }, caller);
    const refusedAgain = await limited.execute({ query: nested(20) }, caller);
    await limited.execute({ query: '{ __typename }' }, caller);
    const deepVariables = await limited.execute(
      { query: '{ __typename }', variables: { p: `${'['.repeat(65)}${']'.repeat(65)}` } },
      caller,
    );
    // Assess
    expect(refused.errors?.[0]?.message).toMatch(/depth/);
    expect('errors' in refusedSub && refusedSub.errors?.length).toBe(1);
    expect(refusedAgain.errors?.[0]?.message).toMatch(/depth/);
    expect(deepVariables.errors?.[0]?.message).toMatch(/nesting depth .* received 65/);
    expect(calls).toBe(1);
  });
});
