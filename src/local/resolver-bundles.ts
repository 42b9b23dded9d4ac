/*
 * The API's schema and resolver bundles, wherever the local stack runs from. Installed, the code
 * is compiled to dist/ and uses the assets the package ships in dist/assets: the very files the
 * CDK construct deploys. In a clone (TypeScript sources under tsx or vitest) the schema is the
 * repository's schema.graphql and the bundles are built from resolvers/ by the repository's own
 * build script, which the package neither ships nor references.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when this module runs from its TypeScript source, i.e. in a clone of the repository. */
export const RUNS_FROM_SOURCE = import.meta.url.endsWith('.ts');

/** Relative to this module: src/local/ in a clone, dist/src/local/ installed. */
const at = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** The assets folder of the installed package (see infra/assets.ts for its layout). */
const SHIPPED_ASSETS_DIR = at('../../assets/');

/** The GraphQL schema the local engine serves. */
export const SCHEMA_FILE = RUNS_FROM_SOURCE
  ? at('../../schema.graphql')
  : join(SHIPPED_ASSETS_DIR, 'schema.graphql');

/** The resolver bundles and manifest.json the installed package ships. */
export const SHIPPED_RESOLVERS_DIR = join(SHIPPED_ASSETS_DIR, 'resolvers');

/** Bundles resolvers/ into `outDir` with the repository's build script (a clone only). */
export async function buildResolverBundles(outDir: string): Promise<string> {
  if (!RUNS_FROM_SOURCE) {
    throw new Error(
      `Resolver bundles are built only in a clone of the repository; the installed package uses its own in ${SHIPPED_RESOLVERS_DIR}. Received a request to build into ${outDir}`,
    );
  }
  // A computed specifier: the compiled package must not reference scripts/, which it lacks.
  const builder = new URL('../../scripts/build-resolvers.ts', import.meta.url).href;
  const { buildResolvers } = (await import(builder)) as {
    buildResolvers: (dir: string) => Promise<unknown>;
  };
  const target = resolve(outDir);
  await buildResolvers(target);
  return target;
}

let sharedBuild: Promise<string> | undefined;

/**
 * The folder of the resolver bundles: `manifestDir` as given; else the shipped bundles when
 * installed; else, in a clone, a fresh build in a temporary folder, made once per process (so
 * parallel test workers never share one folder).
 */
export function ensureResolverBundles(manifestDir?: string): Promise<string> {
  if (manifestDir !== undefined) return Promise.resolve(manifestDir);
  if (!RUNS_FROM_SOURCE) {
    if (!existsSync(join(SHIPPED_RESOLVERS_DIR, 'manifest.json'))) {
      return Promise.reject(
        new Error(
          `The package's resolver bundles are missing (was it built with "npm run build"?). Received: no manifest.json in ${SHIPPED_RESOLVERS_DIR}`,
        ),
      );
    }
    return Promise.resolve(SHIPPED_RESOLVERS_DIR);
  }
  sharedBuild ??= buildResolverBundles(join(tmpdir(), `scheduler-resolvers-${randomUUID()}`));
  return sharedBuild;
}
