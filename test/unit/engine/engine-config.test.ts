import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResolvers } from '../../../scripts/build-resolvers.js';
import { createLocalGraphqlEngine } from '@precise-scheduler/appsync-local';
import { SCHEMA_FILE } from '../../helpers/schema-file.js';

describe('engine configuration', () => {
  let manifestDir: string;
  beforeAll(async () => {
    manifestDir = await mkdtemp(path.join(tmpdir(), 'engine-config-'));
    await buildResolvers(manifestDir);
  });
  afterAll(async () => {
    await rm(manifestDir, { recursive: true, force: true });
  });

  it('fails fast naming a data source the manifest needs but the options lack', async () => {
    // Act
    const creating = createLocalGraphqlEngine({
      schemaFile: SCHEMA_FILE,
      manifestDir,
      env: {},
      dataSources: { none: { type: 'NONE' } },
    });

    // Assess
    await expect(creating).rejects.toThrow(
      /needs data source "schedules" of type AMAZON_DYNAMODB; received none/,
    );
  });

  it('refuses callers whose auth mode the API does not enable', async () => {
    // Prepare
    const engine = await createLocalGraphqlEngine({
      schemaFile: SCHEMA_FILE,
      manifestDir,
      env: {},
      dataSources: {
        schedules: { type: 'AMAZON_DYNAMODB', tableName: 'unused', client: {} as never },
        delayQueue: { type: 'HTTP', endpoint: 'http://127.0.0.1:1' },
        none: { type: 'NONE' },
      },
      additionalAuthModes: [],
    });

    // Act
    const result = JSON.parse(
      JSON.stringify(
        await engine.execute(
          { query: '{ __typename }' },
          { authMode: 'API_KEY', identity: null, headers: {} },
        ),
      ),
    );

    // Assess
    expect(result.errors[0]).toMatchObject({
      errorType: 'UnauthorizedException',
      message: 'Auth mode API_KEY is not enabled on this API',
    });
    await engine.close();
  });

  it('labels request-level errors: unparsable, invalid document, bad variables', async () => {
    // Prepare
    const engine = await createLocalGraphqlEngine({
      schemaFile: SCHEMA_FILE,
      manifestDir,
      env: {},
      dataSources: {
        schedules: { type: 'AMAZON_DYNAMODB', tableName: 'unused', client: {} as never },
        delayQueue: { type: 'HTTP', endpoint: 'http://127.0.0.1:1' },
        none: { type: 'NONE' },
      },
    });
    const caller = { authMode: 'API_KEY' as const, identity: null, headers: {} };
    const errorOf = async (query: string, variables?: Record<string, unknown>) =>
      JSON.parse(JSON.stringify(await engine.execute({ query, variables }, caller))).errors[0];

    // Act
    const unparsable = await errorOf('{ schedule(');
    const unknownField = await errorOf('{ nope }');
    const badVariable = await errorOf('query($id: ID!) { schedule(id: $id) { id } }', {});
    const ambiguous = await errorOf('query A { __typename } query B { __typename }');

    // Assess
    expect(unparsable).toMatchObject({ errorType: 'MalformedHttpRequestException' });
    expect(unparsable.message).toContain('Syntax Error');
    expect(unknownField).toMatchObject({
      errorType: 'ValidationError',
      data: null,
      errorInfo: null,
    });
    expect(badVariable.errorType).toBe('ValidationError');
    expect(badVariable.message).toContain('$id');
    expect(ambiguous).toMatchObject({
      errorType: 'ValidationError',
      message: 'The document holds several operations; give operationName to pick one',
    });
    await engine.close();
  });
});
