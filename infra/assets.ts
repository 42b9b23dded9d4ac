/*
 * Where the construct finds what it deploys: the resolver bundles with their manifest, the schema
 * and the three Lambda handlers, all prebuilt by scripts/build-assets.ts. The construct never
 * bundles at synth and never reads the repository, so it deploys the same from a clone (run with
 * tsx) and from an installed package (compiled to dist/).
 *
 *   <assets>/schema.graphql
 *   <assets>/resolvers/manifest.json, <Type.field>.js, <Type.field>/<step>.js
 *   <assets>/functions/<name>/index.mjs (+ index.mjs.map)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Lambda handlers the scheduler deploys, each built from `functions/<name>/handler.ts`. */
export const ENGINE_FUNCTIONS = ['trigger', 'feeder', 'dispatcher'] as const;

/** One of {@link ENGINE_FUNCTIONS}. */
export type EngineFunctionName = (typeof ENGINE_FUNCTIONS)[number];

/**
 * Folder of the assets beside the compiled code: `npm run build` must write them to
 * `<outDir>/assets` (for outDir `dist`: `buildAssets('dist/assets')`), next to `<outDir>/infra/`.
 */
export const COMPILED_ASSETS_DIR = 'assets';

/** Folder of the assets in a clone of the repository, relative to its root (git-ignored). */
export const SOURCE_ASSETS_DIR = '.build/assets';

/** The handler file inside `<assets>/functions/<name>/`; Lambda's handler is `index.handler`. */
export const HANDLER_FILE = 'index.mjs';

/**
 * The assets folder that belongs to the module at `moduleUrl` (by default this one): run from
 * TypeScript source (`infra/assets.ts` under tsx), `<repo>/.build/assets`; run compiled
 * (`dist/infra/assets.js`), `dist/assets`.
 */
export function locateAssetsDir(moduleUrl: string = import.meta.url): string {
  const moduleDir = path.dirname(fileURLToPath(moduleUrl));
  const fromSource = moduleUrl.endsWith('.ts');
  return path.resolve(moduleDir, '..', fromSource ? SOURCE_ASSETS_DIR : COMPILED_ASSETS_DIR);
}

/** The paths inside one assets folder. */
export interface AssetPaths {
  readonly dir: string;
  readonly schemaFile: string;
  readonly resolversDir: string;
  /** Folder of each handler, as `lambda.Code.fromAsset` takes it. */
  readonly functionDirs: Readonly<Record<EngineFunctionName, string>>;
}

/** The paths of an assets folder, without checking that they exist. */
export function assetPaths(dir: string): AssetPaths {
  const functionDirs = Object.fromEntries(
    ENGINE_FUNCTIONS.map((name) => [name, path.join(dir, 'functions', name)]),
  ) as Record<EngineFunctionName, string>;
  return {
    dir,
    schemaFile: path.join(dir, 'schema.graphql'),
    resolversDir: path.join(dir, 'resolvers'),
    functionDirs,
  };
}

/** The paths of an assets folder, failing with the first missing file and how to build it. */
export function checkedAssetPaths(dir: string): AssetPaths {
  const paths = assetPaths(dir);
  const required = [
    paths.schemaFile,
    path.join(paths.resolversDir, 'manifest.json'),
    ...ENGINE_FUNCTIONS.map((name) => path.join(paths.functionDirs[name], HANDLER_FILE)),
  ];
  const missing = required.find((file) => !existsSync(file));
  if (missing !== undefined) {
    throw new Error(
      `PreciseScheduler: the prebuilt assets are incomplete; run "npm run build:assets" (in a clone) or pass assetsDir. Received: ${missing} is missing`,
    );
  }
  return paths;
}
