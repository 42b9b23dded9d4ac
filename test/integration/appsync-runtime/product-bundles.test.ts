import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResolvers } from '../../../scripts/build-resolvers.js';
import {
  createResolverRuntime,
  SUPPORTED_MEMBERS,
  type ResolverEntry,
  type ResolverManifest,
  type ResolverRuntime,
} from '@precise-scheduler/appsync-local';
import { invocation } from '../../../packages/appsync-local/test/fixtures/runtime/build.js';

const identity = {
  sub: 'user-1',
  issuer: 'https://issuer',
  username: 'alice',
  claims: { sub: 'user-1' },
  sourceIp: ['127.0.0.1'],
  defaultAuthStrategy: 'ALLOW' as const,
  groups: null,
};

function bundleFiles(manifest: ResolverManifest): string[] {
  return manifest.resolvers.flatMap((entry) =>
    entry.kind === 'PIPELINE'
      ? [entry.code, ...entry.functions.map((fn) => fn.code)]
      : [entry.code],
  );
}

/* Names of prototype methods that code calls as `.name(`, which AWS does not list. */
function unlistedPrototypeMethods(): Set<string> {
  const listed = new Set(Object.values(SUPPORTED_MEMBERS).flat());
  const prototypes = [String.prototype, Array.prototype, Number.prototype, Function.prototype];
  return new Set(
    prototypes
      .flatMap((proto) => Object.getOwnPropertyNames(proto))
      .filter((name) => name !== 'constructor' && !listed.has(name)),
  );
}

describe('the product resolver bundles under the strict APPSYNC_JS sandbox', () => {
  let codeDir: string;
  let manifest: ResolverManifest;
  let runtime: ResolverRuntime;
  beforeAll(async () => {
    codeDir = await mkdtemp(path.join(tmpdir(), 'product-bundles-'));
    manifest = await buildResolvers(codeDir);
    runtime = createResolverRuntime({
      codeDir,
      env: { DELAY_QUEUE_URL: 'http://127.0.0.1:1/queue' },
      dataSources: { none: { type: 'NONE' } },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await rm(codeDir, { recursive: true, force: true });
  });

  it('load every bundle: its top-level code uses only supported built-ins', async () => {
    const files = bundleFiles(manifest);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) await expect(runtime.load(file)).resolves.toBeUndefined();
  });

  it('call no prototype method AWS does not list, on any code path of any bundle', async () => {
    const unlisted = unlistedPrototypeMethods();
    const found: string[] = [];
    for (const file of bundleFiles(manifest)) {
      const source = (await readFile(path.join(codeDir, file), 'utf8')).replace(
        /\/\/# sourceMappingURL=.*$/m,
        '',
      );
      for (const [, receiver, name] of source.matchAll(/(\w*)\??\.(\w+)\??\.?\(/g)) {
        if (name !== undefined && unlisted.has(name) && receiver !== 'Object') {
          found.push(`${file}: .${name}(`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('run createSchedule validation on a multibyte payload without unsupported built-ins', async () => {
    // Prepare: the pipeline's own request and response, without its DynamoDB steps.
    const entry: ResolverEntry = {
      typeName: 'Mutation',
      fieldName: 'createSchedule',
      kind: 'PIPELINE',
      code: 'Mutation.createSchedule/index.js',
      functions: [],
    };
    const call = (payload: unknown) =>
      runtime.resolve(
        entry,
        invocation({
          typeName: 'Mutation',
          fieldName: 'createSchedule',
          identity,
          arguments: { input: { delaySeconds: 60, payload } },
        }),
      );
    // Act
    const accepted = await call({ text: 'é€𝒜' });
    const tooLarge = await call({ text: '€'.repeat(30_000) });
    // Assess
    expect(accepted.errors).toEqual([]);
    expect(tooLarge.errors).toHaveLength(1);
    expect(tooLarge.errors[0]?.errorType).toBe('ValidationError');
    // 30,000 three-byte characters plus {"text":""} is 90,011 bytes.
    expect(tooLarge.errors[0]?.message).toContain('received 90011');
  });

  it('run the NONE resolvers: publishScheduleFired and the onScheduleFired filter', async () => {
    const published = await runtime.resolve(
      manifest.resolvers.find((entry) => entry.fieldName === 'publishScheduleFired')!,
      invocation({
        typeName: 'Mutation',
        fieldName: 'publishScheduleFired',
        arguments: { input: { id: 'i', owner: 'o', payload: { a: 'é' } } },
      }),
    );
    const subscribed = await runtime.resolve(
      manifest.resolvers.find((entry) => entry.fieldName === 'onScheduleFired')!,
      invocation({ typeName: 'Subscription', fieldName: 'onScheduleFired', identity }),
    );
    expect(published).toMatchObject({ errors: [], data: { id: 'i', payload: '{"a":"é"}' } });
    expect(subscribed.errors).toEqual([]);
    expect(subscribed.subscriptionFilter).toBeDefined();
  });
});
