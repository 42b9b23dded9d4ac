/**
 * What `npm run build:resolvers` writes to `.build/resolvers/manifest.json` beside the bundles:
 * the format the local engine (@precise-scheduler/appsync-local) reads, which the CDK stack reads
 * too.
 */
export type {
  DataSourceEntry,
  DataSourceType,
  PipelineFunctionEntry,
  ResolverEntry,
  ResolverManifest,
} from '@precise-scheduler/appsync-local';

/** Where the bundles and the manifest are written, relative to the repository root. */
export const RESOLVER_BUILD_DIR = '.build/resolvers';
