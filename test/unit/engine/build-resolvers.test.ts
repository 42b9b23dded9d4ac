import { buildSchema } from 'graphql';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildResolvers, checkResolversAgainstSchema } from '../../../scripts/build-resolvers.js';
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
      'schedules',
      'schedules',
      'schedules',
      'schedules',
      'delayQueue',
    ]);
    expect(create?.kind === 'PIPELINE' && create.functions[0]?.name).toBe(
      'Mutation_createSchedule_01_read_token',
    );
    const code = await readFile(path.join(outDir, 'Query.schedule.js'), 'utf8');
    expect(code).toMatch(/^import .* from "@aws-appsync\/utils";$/m);
    expect(code).toContain('sourceMappingURL=data:application/json;base64');
    expect(code).not.toMatch(/^export \{[^}]*\bDATA_SOURCES\b/m);
    expect(await readdir(path.join(outDir, 'Mutation.createSchedule'))).toHaveLength(6);
    await rm(outDir, { recursive: true, force: true });
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
