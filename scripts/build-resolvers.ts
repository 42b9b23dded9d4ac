/*
 * Bundles every AppSync JS resolver with esbuild as AWS documents for APPSYNC_JS (one ESM file
 * per resolver or pipeline function, @aws-appsync/utils external) and writes manifest.json,
 * which the CDK stack and the local engine both read.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { judgeCodeSize, type CodeSizeVerdict } from '../infra/appsync-code-size.js';
import { DATA_SOURCES, RESOLVER_DATA_SOURCES } from '../resolvers/data-sources.js';
import { loadAppSyncSchema } from '@precise-scheduler/appsync-local';
import {
  RESOLVER_BUILD_DIR,
  type PipelineFunctionEntry,
  type ResolverEntry,
  type ResolverManifest,
} from '../src/resolver-manifest.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESOLVERS_DIR = path.join(ROOT, 'resolvers');
const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];
/** `Type.field` (a unit resolver file without `.ts`, or a pipeline folder). */
const RESOLVER_NAME = /^([A-Z][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;
const PIPELINE_STEP = /^(\d\d)-([a-z0-9-]+)\.ts$/;

/** A resolver source file found under resolvers/, before bundling. */
interface Discovered {
  readonly entry: ResolverEntry;
  /** Output name (without .js) to source path, for every file of this resolver. */
  readonly sources: Readonly<Record<string, string>>;
}

function dataSourceOf(codeName: string): string {
  const name = RESOLVER_DATA_SOURCES[codeName];
  if (name === undefined) {
    throw new Error(
      `resolvers/data-sources.ts names no data source for ${codeName}; received only: ${Object.keys(RESOLVER_DATA_SOURCES).join(', ')}`,
    );
  }
  if (!DATA_SOURCES.some((source) => source.name === name)) {
    throw new Error(`${codeName} uses unknown data source "${name}"`);
  }
  return name;
}

async function discoverPipeline(typeName: string, fieldName: string): Promise<Discovered> {
  const folder = `${typeName}.${fieldName}`;
  const files = (await readdir(path.join(RESOLVERS_DIR, folder))).sort();
  if (!files.includes('index.ts')) {
    throw new Error(`Pipeline resolvers/${folder}/ has no index.ts; received ${files.join(', ')}`);
  }
  const sources: Record<string, string> = { [`${folder}/index`]: `resolvers/${folder}/index.ts` };
  const functions: PipelineFunctionEntry[] = [];
  for (const file of files.filter((name) => name !== 'index.ts')) {
    const step = PIPELINE_STEP.exec(file);
    if (step === null) {
      throw new Error(`Pipeline step resolvers/${folder}/${file} must be named NN-step.ts`);
    }
    const codeName = `${folder}/${file.slice(0, -3)}`;
    sources[codeName] = `resolvers/${codeName}.ts`;
    functions.push({
      name: `${typeName}_${fieldName}_${step[1]}_${(step[2] ?? '').replaceAll('-', '_')}`,
      dataSource: dataSourceOf(codeName),
      code: `${codeName}.js`,
    });
  }
  const entry: ResolverEntry = {
    typeName,
    fieldName,
    kind: 'PIPELINE',
    code: `${folder}/index.js`,
    functions,
  };
  return { entry, sources };
}

/** Finds every resolver under resolvers/: `Type.field.ts` (unit) or `Type.field/` (pipeline). */
export async function discoverResolvers(): Promise<Discovered[]> {
  const found: Discovered[] = [];
  for (const name of (await readdir(RESOLVERS_DIR)).sort()) {
    const isDir = (await stat(path.join(RESOLVERS_DIR, name))).isDirectory();
    const match = RESOLVER_NAME.exec(isDir ? name : name.replace(/\.ts$/, ''));
    if (match === null || (!isDir && !name.endsWith('.ts'))) {
      continue; // helpers (lib/, data-sources.ts) are bundled into the resolvers that import them
    }
    const [, typeName = '', fieldName = ''] = match;
    if (isDir) {
      found.push(await discoverPipeline(typeName, fieldName));
    } else {
      const codeName = `${typeName}.${fieldName}`;
      found.push({
        entry: {
          typeName,
          fieldName,
          kind: 'UNIT',
          dataSource: dataSourceOf(codeName),
          code: `${codeName}.js`,
        },
        sources: { [codeName]: `resolvers/${name}` },
      });
    }
  }
  return found;
}

/** Problems between the resolvers and the schema: unknown fields, root fields without one. */
export function checkResolversAgainstSchema(
  entries: readonly ResolverEntry[],
  schema: GraphQLSchema,
): string[] {
  const problems: string[] = [];
  const covered = new Set(entries.map((entry) => `${entry.typeName}.${entry.fieldName}`));
  for (const entry of entries) {
    const type = schema.getType(entry.typeName);
    if (!isObjectType(type) || type.getFields()[entry.fieldName] === undefined) {
      problems.push(`resolver ${entry.typeName}.${entry.fieldName} has no field in schema.graphql`);
    }
  }
  for (const typeName of ROOT_TYPES) {
    const type = schema.getType(typeName);
    for (const fieldName of isObjectType(type) ? Object.keys(type.getFields()) : []) {
      if (!covered.has(`${typeName}.${fieldName}`)) {
        problems.push(`field ${typeName}.${fieldName} has no resolver under resolvers/`);
      }
    }
  }
  return problems;
}

/** The output folder is emptied first, so it must be empty or hold an earlier build. */
async function refuseForeignFolder(target: string): Promise<void> {
  const entries = await readdir(target).catch(() => [] as string[]);
  if (entries.length > 0 && !entries.includes('manifest.json')) {
    throw new Error(
      `Refusing to replace ${target}: it is not empty and holds no manifest.json; received ${entries.slice(0, 5).join(', ')}`,
    );
  }
}

/**
 * esbuild options AWS documents for APPSYNC_JS bundles: ESM, @aws-appsync/utils left external.
 * The source map goes to a `.js.map` file beside each bundle, not inline: an inline map counts
 * against AppSync's 32,768-character code limit (it was half of the largest bundle), and
 * neither AppSync's logs nor the local runtime read it. The file maps a line reported in an
 * AppSync error back to the TypeScript source.
 */
export const APPSYNC_JS_BUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'esnext',
  sourcemap: 'external',
  sourcesContent: false,
  external: ['@aws-appsync/utils'],
} as const satisfies BuildOptions;

/**
 * Checks each bundle (paths relative to `dir`) against AppSync's code limit: throws naming every
 * bundle over it, with its size; reports those above 80% of it through `warn`. Returns the sizes.
 */
export async function checkBundleSizes(
  dir: string,
  codeFiles: readonly string[],
  warn: (message: string) => void = (message) => console.warn(`warning: ${message}`),
): Promise<CodeSizeVerdict[]> {
  const verdicts = await Promise.all(
    codeFiles.map(async (file) =>
      judgeCodeSize(file, await readFile(path.join(dir, file), 'utf8')),
    ),
  );
  const over = verdicts.filter((verdict) => verdict.kind === 'over');
  if (over.length > 0) {
    throw new Error(
      `Resolver bundles too large for AppSync:\n- ${over.map((v) => v.message).join('\n- ')}`,
    );
  }
  for (const verdict of verdicts.filter((v) => v.kind === 'near')) {
    warn(verdict.message);
  }
  return verdicts;
}

/** Every bundle file the manifest points at. */
function codeFilesOf(manifest: ResolverManifest): string[] {
  return manifest.resolvers.flatMap((entry) =>
    entry.kind === 'PIPELINE' ? [entry.code, ...entry.functions.map((f) => f.code)] : [entry.code],
  );
}

/** Checks, bundles and writes the manifest; returns the manifest written. */
export async function buildResolvers(outDir = RESOLVER_BUILD_DIR): Promise<ResolverManifest> {
  const discovered = await discoverResolvers();
  const entries = discovered.map((item) => item.entry);
  const problems = checkResolversAgainstSchema(
    entries,
    await loadAppSyncSchema(path.join(ROOT, 'schema.graphql')),
  );
  const bundled = new Set(discovered.flatMap((item) => Object.keys(item.sources)));
  for (const codeName of Object.keys(RESOLVER_DATA_SOURCES)) {
    if (!bundled.has(codeName)) {
      problems.push(`resolvers/data-sources.ts names ${codeName}, which has no resolver file`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Resolvers do not match schema.graphql:\n- ${problems.join('\n- ')}`);
  }
  const target = path.resolve(ROOT, outDir);
  await refuseForeignFolder(target);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: Object.assign({}, ...discovered.map((item) => item.sources)),
    outdir: target,
    ...APPSYNC_JS_BUILD_OPTIONS,
    logLevel: 'warning',
  });
  const manifest: ResolverManifest = { dataSources: DATA_SOURCES, resolvers: entries };
  await checkBundleSizes(target, codeFilesOf(manifest));
  await writeFile(path.join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  buildResolvers()
    .then((manifest) => {
      const files = manifest.resolvers.reduce(
        (count, entry) => count + (entry.kind === 'PIPELINE' ? entry.functions.length + 1 : 1),
        0,
      );
      console.log(
        `Bundled ${manifest.resolvers.length} resolvers (${files} files) into ${RESOLVER_BUILD_DIR} in ${Date.now() - started} ms`,
      );
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
