import { buildSchema } from 'graphql';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPSYNC_CODE_LIMIT } from '../../../infra/appsync-code-size.js';
import {
  buildResolvers,
  checkBundleSizes,
  checkResolversAgainstSchema,
} from '../../../scripts/build-resolvers.js';
import type { ResolverEntry } from '../../../src/resolver-manifest.js';

const schema = buildSchema(`
  type Query { a: Int b: Int }
  type Mutation { m: Int }
`);

function unit(typeName: string, fieldName: string): ResolverEntry {
  return {
    typeName,
    fieldName,
    kind: 'UNIT',
    dataSource: 'none',
    code: `${typeName}.${fieldName}.js`,
  };
}

describe('resolver bundling', () => {
  it('names every root field without a resolver and every resolver without a field', () => {
    // Act
    const problems = checkResolversAgainstSchema(
      [unit('Query', 'a'), unit('Query', 'zzz')],
      schema,
    );

    // Assess
    expect(problems).toEqual([
      'resolver Query.zzz has no field in schema.graphql',
      'field Query.b has no resolver under resolvers/',
      'field Mutation.m has no resolver under resolvers/',
    ]);
  });

  it('bundles one ESM file per resolver and pipeline function, and writes the manifest', async () => {
    // Prepare
    const outDir = await mkdtemp(path.join(tmpdir(), 'bundles-'));

    // Act
    const manifest = await buildResolvers(outDir);

    // Assess
    const written = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(manifest)));
    const create = manifest.resolvers.find((r) => r.fieldName === 'createSchedule');
    expect(create?.kind).toBe('PIPELINE');
    expect(create?.kind === 'PIPELINE' && create.functions.map((f) => f.dataSource)).toEqual([
      ...Array<string>(9).fill('schedules'),
      'delayQueue',
    ]);
    expect(create?.kind === 'PIPELINE' && create.functions[0]?.name).toBe(
      'Mutation_createSchedule_01_read_token',
    );
    const code = await readFile(path.join(outDir, 'Query.pendingSchedules.js'), 'utf8');
    expect(code).toMatch(/^import .* from "@aws-appsync\/utils";$/m);
    expect(code).not.toMatch(/^export \{[^}]*\bDATA_SOURCES\b/m);
    const steps = await readdir(path.join(outDir, 'Mutation.createSchedule'));
    expect(steps.filter((file) => file.endsWith('.js'))).toHaveLength(11);
    await rm(outDir, { recursive: true, force: true });
  });

  it('deploys no source map inside a bundle, keeps it beside it, and stays within the limit', async () => {
    // Prepare
    const outDir = await mkdtemp(path.join(tmpdir(), 'bundles-'));

    // Act
    const manifest = await buildResolvers(outDir);

    // Assess: an inline map counts against AppSync's 32,768 characters.
    const files = manifest.resolvers.flatMap((r) =>
      r.kind === 'PIPELINE' ? [r.code, ...r.functions.map((f) => f.code)] : [r.code],
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const code = await readFile(path.join(outDir, file), 'utf8');
      expect(code, file).not.toContain('sourceMappingURL');
      expect(code.length, file).toBeLessThanOrEqual(APPSYNC_CODE_LIMIT);
      const map = JSON.parse(await readFile(path.join(outDir, `${file}.map`), 'utf8')) as {
        sources: string[];
        sourcesContent?: unknown;
      };
      expect(
        map.sources.some((source) => source.includes('resolvers/')),
        file,
      ).toBe(true);
      expect(map.sourcesContent, file).toBeUndefined();
    }
    await rm(outDir, { recursive: true, force: true });
  });
});

describe('resolver bundle sizes', () => {
  /** A folder with one bundle of each size, named after it. */
  async function bundlesOf(sizes: readonly number[]) {
    const dir = await mkdtemp(path.join(tmpdir(), 'sizes-'));
    for (const size of sizes) {
      await writeFile(path.join(dir, `b${size}.js`), 'x'.repeat(size));
    }
    return { dir, files: sizes.map((size) => `b${size}.js`) };
  }

  it('fails naming every bundle over 32,768 characters and its size', async () => {
    // Prepare
    const { dir, files } = await bundlesOf([100, 32_768, 32_769, 40_000]);

    // Act
    const act = checkBundleSizes(dir, files, () => undefined);

    // Assess
    await expect(act).rejects.toThrow(
      /b32769\.js is 32769 characters, over AppSync's limit of 32768[\s\S]*b40000\.js is 40000/,
    );
    await expect(act).rejects.not.toThrow(/b32768\.js/);
    await rm(dir, { recursive: true, force: true });
  });

  it('warns about each bundle above 80% of the limit and passes', async () => {
    // Prepare
    const { dir, files } = await bundlesOf([26_214, 26_215, 32_768]);
    const warnings: string[] = [];

    // Act
    const verdicts = await checkBundleSizes(dir, files, (message) => warnings.push(message));

    // Assess
    expect(verdicts.map((v) => v.kind)).toEqual(['ok', 'near', 'near']);
    expect(warnings).toEqual([
      "b26215.js is 26215 characters, 80.0% of AppSync's limit of 32768",
      "b32768.js is 32768 characters, 100.0% of AppSync's limit of 32768",
    ]);
    await rm(dir, { recursive: true, force: true });
  });

  it('counts UTF-8 bytes, so characters outside ASCII never pass under the limit', async () => {
    // Prepare: 16,385 two-byte characters are 32,770 bytes.
    const dir = await mkdtemp(path.join(tmpdir(), 'sizes-'));
    await writeFile(path.join(dir, 'wide.js'), 'é'.repeat(16_385));

    // Act / Assess
    await expect(checkBundleSizes(dir, ['wide.js'])).rejects.toThrow('wide.js is 32770');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('resolver bundling output folder', () => {
  it('refuses to empty a folder that does not hold an earlier build', async () => {
    // Prepare
    const outDir = await mkdtemp(path.join(tmpdir(), 'foreign-'));
    await writeFile(path.join(outDir, 'notes.txt'), 'keep me');

    // Act / Assess
    await expect(buildResolvers(outDir)).rejects.toThrow(/Refusing to replace .*notes\.txt/);
    expect(await readFile(path.join(outDir, 'notes.txt'), 'utf8')).toBe('keep me');
    await rm(outDir, { recursive: true, force: true });
  });
});
