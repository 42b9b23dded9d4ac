/**
 * What `npm run build:resolvers` writes to `.build/resolvers/manifest.json` beside the bundles:
 * every resolver with its kind, data source and code, read by the local runtime and the CDK stack.
 * Paths are relative to the manifest's folder.
 */
export type DataSourceType = 'AMAZON_DYNAMODB' | 'HTTP' | 'NONE';

export interface DataSourceEntry {
  /** e.g. "schedules" (the table), "delayQueue" (SQS over HTTP), "none". */
  readonly name: string;
  readonly type: DataSourceType;
}

export interface PipelineFunctionEntry {
  readonly name: string;
  readonly dataSource: string;
  readonly code: string;
}

export type ResolverEntry =
  | {
      readonly typeName: string;
      readonly fieldName: string;
      readonly kind: 'UNIT';
      readonly dataSource: string;
      readonly code: string;
    }
  | {
      readonly typeName: string;
      readonly fieldName: string;
      readonly kind: 'PIPELINE';
      /** The pipeline's own before/after handlers. */
      readonly code: string;
      readonly functions: readonly PipelineFunctionEntry[];
    };

export interface ResolverManifest {
  readonly dataSources: readonly DataSourceEntry[];
  readonly resolvers: readonly ResolverEntry[];
}

/** Where the bundles and the manifest are written, relative to the repository root. */
export const RESOLVER_BUILD_DIR = '.build/resolvers';
