import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createResolverRuntime,
  RuntimeConfigurationError,
  type ResolverRuntime,
} from '../../../src/runtime/index.js';
import {
  buildFixtures,
  invocation,
  unitEntry,
  type FixtureBundles,
} from '../../fixtures/runtime/build.js';

const NOW = Date.UTC(2027, 2, 20, 9, 46, 47, 123);

describe('local APPSYNC_JS runtime: unit resolvers on the NONE data source', () => {
  let bundles: FixtureBundles;
  let runtime: ResolverRuntime;
  beforeAll(async () => {
    bundles = await buildFixtures(['echo', 'behaviours', 'loop']);
    runtime = createResolverRuntime({
      codeDir: bundles.codeDir,
      env: { TABLE: 'schedules' },
      dataSources: {
        none: { type: 'NONE' },
        // Never called: the request objects below are refused before anything is sent.
        table: {
          type: 'AMAZON_DYNAMODB',
          tableName: 't',
          client: new DynamoDBClient({ region: 'us-east-1' }),
        },
        web: { type: 'HTTP', endpoint: 'http://127.0.0.1:1' },
      },
      now: () => NOW,
      handlerTimeoutMs: 200,
    });
  });
  afterAll(async () => {
    await bundles.remove();
  });

  it('hand ctx.args, identity, request, info and env to the handlers', async () => {
    // Prepare
    const identity = {
      sub: 'user-1',
      issuer: 'https://issuer',
      username: 'alice',
      claims: { sub: 'user-1' },
      sourceIp: ['127.0.0.1'],
      defaultAuthStrategy: 'ALLOW' as const,
      groups: null,
    };
    // Act
    const outcome = await runtime.resolve(
      unitEntry('echo', 'none'),
      invocation({
        arguments: { id: 'x', nested: { n: 1 } },
        identity,
        request: { headers: { 'x-test': '1' }, domainName: null },
      }),
    );
    // Assess
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toEqual({
      args: { id: 'x', nested: { n: 1 } },
      sameArguments: true,
      source: null,
      identity,
      headers: { 'x-test': '1' },
      fieldName: 'field',
      env: { TABLE: 'schedules' },
    });
  });

  it('resolve the field to null with the error after util.error, keeping appended errors', async () => {
    const refused = await runtime.resolve(
      unitEntry('behaviours', 'none'),
      invocation({ arguments: { mode: 'error' } }),
    );
    expect(refused).toEqual({
      data: null,
      errors: [
        {
          message: 'request refused',
          errorType: 'Refused',
          data: { id: 1 },
          errorInfo: { hint: 'x' },
        },
      ],
    });
    const late = await runtime.resolve(
      unitEntry('behaviours', 'none'),
      invocation({ arguments: { mode: 'responseError' } }),
    );
    expect(late.data).toBeNull();
    expect(late.errors.map((error) => error.message)).toEqual(['first note', 'response refused']);
  });

  it('keep the data after util.appendError and report every appended error', async () => {
    const outcome = await runtime.resolve(
      unitEntry('behaviours', 'none'),
      invocation({ arguments: { mode: 'append' } }),
    );
    expect(outcome.data).toEqual({ mode: 'append' });
    expect(outcome.errors).toEqual([
      { message: 'first note', errorType: 'Note', data: null, errorInfo: null },
      { message: 'second note', errorType: null, data: null, errorInfo: null },
    ]);
  });

  it('turn a TypeError in handler code into an error with errorType Code', async () => {
    const outcome = await runtime.resolve(
      unitEntry('behaviours', 'none'),
      invocation({ arguments: { mode: 'typeError' } }),
    );
    expect(outcome.data).toBeNull();
    expect(outcome.errors[0]?.errorType).toBe('Code');
    expect(outcome.errors[0]?.message).toMatch(/Query\.field request handler: TypeError/);
  });

  it('name an unsupported helper in the error when a handler uses it', async () => {
    const outcome = await runtime.resolve(
      unitEntry('behaviours', 'none'),
      invocation({ arguments: { mode: 'unsupported' } }),
    );
    expect(outcome.errors[0]?.message).toContain(
      'util.xml.toMap is not supported by the local AppSync runtime',
    );
  });

  it('answer util.unauthorized with an Unauthorized error naming the field', async () => {
    const outcome = await runtime.resolve(
      unitEntry('behaviours', 'none', 'secret'),
      invocation({ typeName: 'Query', fieldName: 'secret', arguments: { mode: 'unauthorized' } }),
    );
    expect(outcome.errors).toEqual([
      {
        message: 'Not Authorized to access secret on type Query',
        errorType: 'Unauthorized',
        data: null,
        errorInfo: null,
      },
    ]);
  });

  it('skip the data source and response handler on runtime.earlyReturn in a unit request', async () => {
    const outcome = await runtime.resolve(
      unitEntry('behaviours', 'none'),
      invocation({ arguments: { mode: 'early' } }),
    );
    expect(outcome).toEqual({ data: { early: true }, errors: [] });
  });

  it('report the subscription filter a response handler sets', async () => {
    const outcome = await runtime.resolve(
      unitEntry('behaviours', 'none'),
      invocation({ arguments: { mode: 'filter', owner: 'alice' } }),
    );
    expect(outcome.subscriptionFilter).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: 'alice' }] }],
    });
  });

  it('stop a handler that runs past the time limit with a Code error, and keep serving', async () => {
    const slow = await runtime.resolve(
      unitEntry('loop', 'none'),
      invocation({ arguments: { rounds: 200_000 } }),
    );
    expect(slow.errors[0]?.errorType).toBe('Code');
    expect(slow.errors[0]?.message).toMatch(/timed out/);
    const quick = await runtime.resolve(
      unitEntry('loop', 'none'),
      invocation({ arguments: { rounds: 3 } }),
    );
    expect(quick.data).toBe(9);
  });

  it('refuse a data source that is not configured, and a bundle that does not exist', async () => {
    await expect(runtime.resolve(unitEntry('echo', 'missing'), invocation())).rejects.toThrow(
      RuntimeConfigurationError,
    );
    await expect(runtime.resolve(unitEntry('nope', 'none'), invocation())).rejects.toThrow(
      /Cannot read resolver bundle/,
    );
  });

  it('refuse a request object its data source cannot execute with errorType MappingTemplate', async () => {
    const dynamo = await runtime.resolve(unitEntry('echo', 'table'), invocation());
    const http = await runtime.resolve(unitEntry('echo', 'web'), invocation());
    expect(dynamo.data).toBeNull();
    expect(dynamo.errors[0]).toMatchObject({
      errorType: 'MappingTemplate',
      message: expect.stringMatching(/operation must be one of GetItem/),
    });
    expect(http.errors[0]).toMatchObject({
      errorType: 'MappingTemplate',
      message: expect.stringMatching(/resourcePath/),
    });
  });

  it('validate ctx.env: strings only, at most 50 keys and 512 characters', () => {
    const make = (env: Record<string, string>) => () =>
      createResolverRuntime({ codeDir: bundles.codeDir, env, dataSources: {} });
    expect(make({ A: 'x'.repeat(513) })).toThrow(/at most 512 characters/);
    expect(make(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`K${i}`, 'v'])))).toThrow(
      /at most 50/,
    );
    expect(make({ A: 1 as unknown as string })).toThrow(/must be a string/);
  });
});
