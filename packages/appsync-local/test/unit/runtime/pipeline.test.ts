import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolverRuntime, type ResolverRuntime } from '../../../src/runtime/index.js';
import { buildFixtures, invocation, type FixtureBundles } from '../../fixtures/runtime/build.js';

const PIPELINE = {
  typeName: 'Mutation',
  fieldName: 'run',
  kind: 'PIPELINE',
  code: 'pipeline.js',
  functions: [
    { name: 'one', dataSource: 'none', code: 'pipeline-step-one.js' },
    { name: 'two', dataSource: 'none', code: 'pipeline-step-two.js' },
  ],
} as const;

describe('local APPSYNC_JS runtime: pipeline resolvers', () => {
  let bundles: FixtureBundles;
  let runtime: ResolverRuntime;
  beforeAll(async () => {
    bundles = await buildFixtures(['pipeline', 'pipeline-step-one', 'pipeline-step-two']);
    runtime = createResolverRuntime({
      codeDir: bundles.codeDir,
      env: {},
      dataSources: { none: { type: 'NONE' } },
    });
  });
  afterAll(async () => {
    await bundles.remove();
  });

  it('share the stash across every step and pass each result on as ctx.prev.result', async () => {
    // Act
    const outcome = await runtime.resolve(
      PIPELINE,
      invocation({ typeName: 'Mutation', fieldName: 'run' }),
    );
    // Assess
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toEqual({
      last: { from: 'two', sawPrev: { from: 'one', sawPrev: { started: true } } },
      trace: ['before', 'one.request', 'one.response', 'two.request', 'two.response', 'after'],
    });
  });

  it("skip a function's data source and response on earlyReturn, then go on with the next function", async () => {
    const outcome = await runtime.resolve(PIPELINE, invocation({ arguments: { skip: 'NEXT' } }));
    expect(outcome.data).toEqual({
      last: { from: 'two', sawPrev: { skippedFrom: 'one' } },
      trace: ['before', 'one.request', 'two.request', 'two.response', 'after'],
    });
  });

  it('jump from a function straight to the after handler on earlyReturn with skipTo END', async () => {
    const outcome = await runtime.resolve(PIPELINE, invocation({ arguments: { skip: 'END' } }));
    expect(outcome.data).toEqual({
      last: { skippedFrom: 'one' },
      trace: ['before', 'one.request', 'after'],
    });
  });

  it('jump from the before handler to the after handler on earlyReturn', async () => {
    const outcome = await runtime.resolve(
      PIPELINE,
      invocation({ arguments: { beforeEarly: true } }),
    );
    expect(outcome.data).toEqual({ last: { fromBefore: true }, trace: ['before', 'after'] });
  });

  it('start every resolution with a fresh stash', async () => {
    await runtime.resolve(PIPELINE, invocation());
    const second = await runtime.resolve(PIPELINE, invocation());
    expect((second.data as { trace: string[] }).trace).toHaveLength(6);
  });
});
