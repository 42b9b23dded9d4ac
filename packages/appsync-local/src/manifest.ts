/**
 * The resolver manifest (`manifest.json` beside the bundles): every resolver with its kind, data
 * source and code, as the engine reads it. Paths are relative to the manifest's folder.
 */

/** The data source types the runtime serves. */
export type DataSourceType = 'AMAZON_DYNAMODB' | 'HTTP' | 'NONE';

/** A data source the manifest's resolvers name; the engine is given one config per entry. */
export interface DataSourceEntry {
  /** e.g. "table", "queue", "none". */
  readonly name: string;
  readonly type: DataSourceType;
}

/** One function of a pipeline resolver. */
export interface PipelineFunctionEntry {
  readonly name: string;
  readonly dataSource: string;
  readonly code: string;
}

/** One resolver: a unit resolver on a data source, or a pipeline of functions. */
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

/** What `manifest.json` holds. */
export interface ResolverManifest {
  readonly dataSources: readonly DataSourceEntry[];
  readonly resolvers: readonly ResolverEntry[];
}
