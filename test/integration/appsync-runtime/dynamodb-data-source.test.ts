import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../../src/aws/clients.js';
import { createResolverRuntime, type ResolverRuntime } from '@precise-scheduler/appsync-local';
import {
  buildFixtures,
  invocation,
  unitEntry,
  type FixtureBundles,
} from '../../../packages/appsync-local/test/fixtures/runtime/build.js';
import { startTestServices, type TestServices } from '../../helpers/local-services.js';

const FIXTURES = ['ddb-put-once', 'ddb-get', 'ddb-query', 'ddb-update', 'ddb-batch'];

describe('local APPSYNC_JS runtime: AMAZON_DYNAMODB data source against dynalite over HTTP', () => {
  let services: TestServices;
  let bundles: FixtureBundles;
  let client: DynamoDBClient;
  let runtime: ResolverRuntime;
  const run = async (
    fixture: string,
    args: Record<string, unknown>,
    on: ResolverRuntime = runtime,
  ) => on.resolve(unitEntry(fixture, 'table'), invocation({ arguments: args }));

  beforeAll(async () => {
    [services, bundles] = await Promise.all([startTestServices(), buildFixtures(FIXTURES)]);
    client = createDynamoClient({ dynamoEndpoint: services.dynamo.endpoint });
    runtime = createResolverRuntime({
      codeDir: bundles.codeDir,
      env: { TABLE: services.tableName },
      dataSources: { table: { type: 'AMAZON_DYNAMODB', tableName: services.tableName, client } },
      nextTokenSecret: 'test-secret',
    });
  });
  afterAll(async () => {
    client.destroy();
    await Promise.all([services.stop(), bundles.remove()]);
  });

  it('let a conditional PutItem succeed once, then show the response handler ctx.error', async () => {
    // Act
    const first = await run('ddb-put-once', { pk: 'put', sk: '1', value: 7 });
    const second = await run('ddb-put-once', { pk: 'put', sk: '1', value: 8 });
    // Assess
    expect(first).toEqual({
      data: { item: { pk: 'put', sk: '1', value: 7, tags: ['a', 'b'] } },
      errors: [],
    });
    expect(second.data).toEqual({
      error: {
        type: 'DynamoDB:ConditionalCheckFailedException',
        message: expect.stringMatching(/conditional request failed/i),
      },
    });
    const stored = await run('ddb-get', { pk: 'put', sk: '1' });
    expect(stored.data).toEqual({ pk: 'put', sk: '1', value: 7, tags: ['a', 'b'] });
  });

  it('return null from GetItem for a missing item', async () => {
    expect(await run('ddb-get', { pk: 'none', sk: 'none' })).toEqual({ data: null, errors: [] });
  });

  it('update with SET, ADD and list_append returning the new item, and refuse a failed condition', async () => {
    await run('ddb-put-once', { pk: 'upd', sk: '1', value: 1 });
    const updated = await run('ddb-update', { pk: 'upd', sk: '1', status: 'QUEUED' });
    expect(updated.data).toEqual({
      pk: 'upd',
      sk: '1',
      value: 1,
      tags: ['a', 'b', 'c'],
      status: 'QUEUED',
      count: 1,
    });
    const refused = await run('ddb-update', {
      pk: 'upd',
      sk: '1',
      status: 'FIRED',
      expect: 'PENDING',
    });
    expect(refused.data).toBeNull();
    expect(refused.errors[0]?.errorType).toBe('DynamoDB:ConditionalCheckFailedException');
    const removed = await run('ddb-update', { pk: 'upd', sk: '1', status: '', drop: true });
    expect(removed.data).toMatchObject({ pk: 'upd', status: 'QUEUED' });
  });

  it('page through a Query with limit and opaque nextTokens, in both directions', async () => {
    // Prepare
    for (const sk of ['a', 'b', 'c', 'd', 'e'])
      await run('ddb-put-once', { pk: 'page', sk, value: 1 });
    // Act
    const seen: string[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page = await run('ddb-query', {
        pk: 'page',
        limit: 2,
        ...(nextToken === null ? {} : { nextToken }),
      });
      const data = page.data as {
        items: { sk: string }[];
        nextToken: string | null;
        scannedCount: number;
      };
      seen.push(...data.items.map((item) => item.sk));
      expect(data.scannedCount).toBe(data.items.length);
      nextToken = data.nextToken;
      pages += 1;
    } while (nextToken !== null && pages < 10);
    const descending = await run('ddb-query', { pk: 'page', limit: 2, descending: true });
    // Assess
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect((descending.data as { items: { sk: string }[] }).items.map((item) => item.sk)).toEqual([
      'e',
      'd',
    ]);
  });

  it('refuse a forged, altered or foreign nextToken', async () => {
    // Prepare
    for (const sk of ['a', 'b', 'c']) await run('ddb-put-once', { pk: 'other', sk, value: 1 });
    const page = await run('ddb-query', { pk: 'page', limit: 1 });
    const token = (page.data as { nextToken: string }).nextToken;
    const forged = Buffer.from(JSON.stringify({ pk: { S: 'page' }, sk: { S: 'c' } })).toString(
      'base64url',
    );
    const otherSecret = createResolverRuntime({
      codeDir: bundles.codeDir,
      env: {},
      dataSources: { table: { type: 'AMAZON_DYNAMODB', tableName: services.tableName, client } },
      nextTokenSecret: 'another-secret',
    });
    // Act
    const outcomes = await Promise.all([
      run('ddb-query', { pk: 'page', limit: 1, nextToken: forged }),
      run('ddb-query', { pk: 'page', limit: 1, nextToken: `${forged}.${token.split('.')[1]}` }),
      run('ddb-query', { pk: 'other', limit: 1, nextToken: token }),
      run('ddb-query', { pk: 'page', limit: 1, nextToken: token }, otherSecret),
    ]);
    // Assess
    for (const outcome of outcomes) {
      expect(outcome.data).toBeNull();
      expect(outcome.errors[0]).toMatchObject({
        errorType: 'DynamoDB:ValidationException',
        message: expect.stringMatching(/Invalid nextToken/),
      });
    }
  });

  it('put, get and delete in batches, keeping the order of the keys asked for', async () => {
    const keys = [
      { pk: 'batch', sk: '1' },
      { pk: 'batch', sk: '2' },
    ];
    const put = await run('ddb-batch', { mode: 'put', keys });
    expect(put.data).toEqual({
      data: { [services.tableName]: keys.map((key) => ({ ...key, value: 1 })) },
      unprocessedItems: { [services.tableName]: [] },
    });
    const got = await run('ddb-batch', {
      mode: 'get',
      keys: [keys[1], { pk: 'batch', sk: 'missing' }, keys[0]],
    });
    expect(got.data).toEqual({
      data: { [services.tableName]: [{ ...keys[1], value: 1 }, null, { ...keys[0], value: 1 }] },
      unprocessedKeys: { [services.tableName]: [] },
    });
    await run('ddb-batch', { mode: 'delete', keys });
    const after = await run('ddb-batch', { mode: 'get', keys });
    expect(after.data).toMatchObject({ data: { [services.tableName]: [null, null] } });
  });
});
