import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalGraphqlEngine,
  loadDevCertificate,
  mintDevToken,
  resolveDevKeys,
  startEndpoint,
  withQueryLimits,
  type ClosableGraphqlEngine,
  type LocalEndpoint,
  type ResolverManifest,
} from '../../src/index.js';
import { buildFixtures, type FixtureBundles } from '../fixtures/runtime/build.js';

const SCHEMA = `
type Echo @aws_api_key @aws_cognito_user_pools { fieldName: String, env: AWSJSON }
type Query { echo(text: String): Echo @aws_api_key @aws_cognito_user_pools }
`;

const MANIFEST: ResolverManifest = {
  dataSources: [{ name: 'none', type: 'NONE' }],
  resolvers: [
    { typeName: 'Query', fieldName: 'echo', kind: 'UNIT', dataSource: 'none', code: 'echo.js' },
  ],
};

/* The README's example, run: a schema, a bundle and a NONE data source served over HTTP. */
describe('a schema with JS resolvers served through the public API alone', () => {
  let bundles: FixtureBundles;
  let engine: ClosableGraphqlEngine;
  let endpoint: LocalEndpoint;
  let url: string;
  let keys: Awaited<ReturnType<typeof resolveDevKeys>>;

  beforeAll(async () => {
    bundles = await buildFixtures(['echo']);
    const schemaDir = await mkdtemp(join(tmpdir(), 'appsync-local-schema-'));
    await writeFile(join(schemaDir, 'schema.graphql'), SCHEMA);
    await writeFile(join(bundles.codeDir, 'manifest.json'), JSON.stringify(MANIFEST));
    engine = await createLocalGraphqlEngine({
      schemaFile: join(schemaDir, 'schema.graphql'),
      manifestDir: bundles.codeDir,
      env: { STAGE: 'local' },
      dataSources: { none: { type: 'NONE' } },
      defaultAuthMode: 'API_KEY',
      additionalAuthModes: ['AMAZON_COGNITO_USER_POOLS'],
    });
    keys = await resolveDevKeys(undefined);
    endpoint = await startEndpoint(
      {
        engine: withQueryLimits(engine),
        auth: {
          apiKey: keys.apiKey,
          jwtSecret: keys.jwtSecret,
          iamCredentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
        },
        keepAliveMs: 60_000,
        tls: await loadDevCertificate(undefined),
      },
      { port: 0, host: '127.0.0.1' },
    );
    url = `http://127.0.0.1:${endpoint.port}/graphql`;
    await rm(schemaDir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await endpoint?.stop();
    await engine?.close();
    await bundles?.remove();
  });

  const post = (headers: Record<string, string>, query: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  it('answers a query through the resolver bundle, with the API key and with a dev token', async () => {
    // Act
    const byKey = await post(
      { 'x-api-key': keys.apiKey },
      '{ echo(text: "hi") { fieldName env } }',
    );
    const token = await mintDevToken(keys.jwtSecret, 'alice');
    const byUser = await post({ authorization: token }, '{ echo { fieldName } }');
    // Assess
    expect(byKey.status).toBe(200);
    expect(await byKey.json()).toEqual({
      data: { echo: { fieldName: 'echo', env: '{"STAGE":"local"}' } },
    });
    expect(await byUser.json()).toEqual({ data: { echo: { fieldName: 'echo' } } });
  });

  it('refuses a wrong API key with 401 and UnauthorizedException', async () => {
    const response = await post({ 'x-api-key': 'da2-wrong' }, '{ echo { fieldName } }');
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { errorType: string }[] };
    expect(body.errors[0]?.errorType).toBe('UnauthorizedException');
  });

  it('answers GET requests it does not route with 404, and /health with 200', async () => {
    const base = `http://127.0.0.1:${endpoint.port}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
  });
});
