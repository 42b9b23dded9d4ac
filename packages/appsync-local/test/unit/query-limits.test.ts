import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUERY_LIMITS,
  QUERY_LIMIT_ERROR_TYPE,
  RequestLimiter,
  checkQueryLimits,
  checkVariableLimits,
  documentNesting,
  jsonNestingDepth,
  withQueryLimits,
} from '../../src/server/limits.js';
import type { LocalGraphqlEngine } from '../../src/contract.js';

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

describe('variable and nesting limits, checked without recursion', () => {
  const deepArray = (depth: number): unknown => {
    let value: unknown = [];
    for (let i = 1; i < depth; i += 1) value = [value];
    return value;
  };

  it('passes values at each limit and refuses one past it, naming the limit and the value', () => {
    // Prepare
    const { maxJsonDepth, maxVariableValues, maxStringLength } = DEFAULT_QUERY_LIMITS;
    const messages = (variables: Record<string, unknown>) =>
      checkVariableLimits(variables).map((error) => error.message);
    // Act / Assess: the variables object itself is the first level.
    expect(messages({ p: deepArray(maxJsonDepth - 1) })).toEqual([]);
    expect(messages({ p: deepArray(maxJsonDepth) })).toEqual([
      'The nesting depth of "variables" exceeds the limit of 64; received at least 65',
    ]);
    // The key "p" and its value count as two.
    expect(messages({ p: new Array(maxVariableValues - 2).fill(0) })).toEqual([]);
    expect(messages({ p: new Array(maxVariableValues - 1).fill(0) })).toEqual([
      'The number of values and keys in "variables" exceeds the limit of 50000; received at least 50001',
    ]);
    expect(messages({ p: 'x'.repeat(maxStringLength) })).toEqual([]);
    expect(messages({ p: 'x'.repeat(maxStringLength + 1) })).toEqual([
      'The string length of a key or value in "variables" exceeds the limit of 1048576; received 1048577',
    ]);
  });

  it('survives the shapes that overflowed the stack: 100,000 levels, 1,000,000 elements, 200,000 keys', async () => {
    // Prepare
    const limited = withQueryLimits({
      execute: async () => ({ data: { ran: true } }),
      subscribe: async () => ({ data: {} }),
    });
    const caller = { authMode: 'API_KEY' as const, identity: null, headers: {} };
    const wide = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]));
    const shapes = [deepArray(100_000), new Array(1_000_000).fill(0), wide];
    // Act
    const results = await Promise.all(
      shapes.map((p) => limited.execute({ query: '{ __typename }', variables: { p } }, caller)),
    );
    // Assess
    for (const result of results) {
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.message).toMatch(
        /exceeds the limit of \d+; received at least \d+/,
      );
    }
  });

  it('measures the nesting of a document before graphql-js parses it, skipping strings and comments', () => {
    // Prepare
    const deep = `{${' a {'.repeat(2000)} b${' }'.repeat(2000)} }`;
    const quoted = '{ a(s: "{{{{[[[(((", t: """ {{{ \\""" [[[ """) # {{{{\n { b } }';
    // Act / Assess
    expect(documentNesting(quoted)).toBe(2);
    expect(checkQueryLimits(deep).map((error) => error.message)).toEqual([
      'The nesting depth of the query document exceeds the limit of 64; received 2001',
    ]);
  });

  it('refuses wrong-typed request members, naming the member and what was received', () => {
    // Prepare
    const limiter = new RequestLimiter();
    const message = (raw: unknown) => limiter.check(raw).errors?.[0]?.message;
    // Act / Assess
    expect(message(null)).toBe(
      'A request must be a JSON object with a string "query"; received null',
    );
    expect(message([1, 2])).toBe(
      'A request must be a JSON object with a string "query"; received an array of 2 elements',
    );
    expect(message({ query: 5 })).toBe('"query" must be a string; received number 5');
    expect(message({ query: '{ a }', operationName: {} })).toBe(
      '"operationName" must be a string or null; received an object with 0 keys',
    );
    expect(message({ query: '{ a }', variables: deepArray(100_000) })).toBe(
      '"variables" must be a JSON object; received an array of 1 elements',
    );
    expect(limiter.check({ query: '{ a }', variables: null })).toEqual({
      request: { query: '{ a }', variables: null, operationName: null },
    });
  });
});
