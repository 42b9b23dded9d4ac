/*
 * Builds what the PreciseScheduler construct deploys (layout in infra/assets.ts): the resolver
 * bundles and manifest, the schema, and one esbuild bundle per Lambda handler. `npm run synth`
 * builds into .build/assets; the package build writes dist/assets, so the installed construct
 * deploys without the repository and without bundling at synth.
 */
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import {
  ENGINE_FUNCTIONS,
  HANDLER_FILE,
  assetPaths,
  locateAssetsDir,
  type AssetPaths,
} from '../infra/assets.js';
import { buildResolvers } from './build-resolvers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * esbuild options for the handlers, as NodejsFunction bundled them before: one ES module per
 * handler for Node.js 24 (the Lambda runtime; arm64 needs nothing different from esbuild).
 * The AWS SDK v3 is bundled, not left to the runtime: the handlers run with the SDK versions
 * they were tested with (package-lock.json), not whichever the runtime ships that month, and a
 * bundle depends on nothing outside itself. Source maps go to a file beside the bundle, without
 * the sources, for stack traces through NODE_OPTIONS=--enable-source-maps.
 */
export const HANDLER_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  mainFields: ['module', 'main'],
  outExtension: { '.js': '.mjs' },
  // Lets CommonJS dependencies call require() inside the ES module bundle.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;

/** The output folder is emptied first, so it must be empty or hold an earlier build. */
async function refuseForeignFolder(target: string): Promise<void> {
  const entries = await readdir(target).catch(() => [] as string[]);
  if (entries.length > 0 && !entries.includes('schema.graphql')) {
    throw new Error(
      `Refusing to replace ${target}: it is not empty and holds no schema.graphql from an earlier asset build. Received: ${entries.slice(0, 5).join(', ')}`,
    );
  }
}

/** Bundles functions/<name>/handler.ts to `<functions>/<name>/index.mjs` for every handler. */
async function buildHandlers(paths: AssetPaths): Promise<void> {
  const entryPoints = Object.fromEntries(
    ENGINE_FUNCTIONS.map((name) => [`${name}/index`, `functions/${name}/handler.ts`]),
  );
  await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir: path.join(paths.dir, 'functions'),
    ...HANDLER_BUILD_OPTIONS,
    logLevel: 'warning',
  });
}

/**
 * Builds the construct's assets into `outDir` (absolute, or relative to the repository root),
 * replacing an earlier build there. Returns the paths written.
 */
export async function buildAssets(outDir: string = locateAssetsDir()): Promise<AssetPaths> {
  const target = path.resolve(ROOT, outDir);
  await refuseForeignFolder(target);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  const paths = assetPaths(target);
  await copyFile(path.join(ROOT, 'schema.graphql'), paths.schemaFile);
  await buildResolvers(paths.resolversDir);
  await buildHandlers(paths);
  return paths;
}

/** Total bytes of the files under a folder, for the build's summary line. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      total += (await stat(path.join(entry.parentPath, entry.name))).size;
    }
  }
  return total;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  buildAssets(process.argv[2])
    .then(async (paths) => {
      const sizes = await Promise.all(
        ENGINE_FUNCTIONS.map(async (name) => {
          const file = path.join(paths.functionDirs[name], HANDLER_FILE);
          return `${name} ${Math.round((await stat(file)).size / 1024)} KiB`;
        }),
      );
      const total = Math.round((await folderBytes(paths.dir)) / 1024);
      console.log(
        `Built the construct's assets into ${path.relative(process.cwd(), paths.dir) || '.'} in ${Date.now() - started} ms: ${sizes.join(', ')}; ${total} KiB in all`,
      );
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
