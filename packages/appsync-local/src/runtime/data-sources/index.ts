import { RuntimeConfigurationError } from '../errors.js';
import { invokeDynamo } from './dynamodb.js';
import { invokeHttp } from './http.js';
import type { NextTokenCodec } from './next-token.js';
import { invokeNone } from './none.js';
import type { DataSourceConfig, DataSourceResult } from './types.js';

export type { DataSourceConfig, DataSourceError, DataSourceResult } from './types.js';
export { MAPPING_TEMPLATE_ERROR_TYPE, RequestShapeError } from './request-error.js';

/** Runs request objects against the configured data sources. */
export class DataSourceInvoker {
  public constructor(
    private readonly dataSources: Readonly<Record<string, DataSourceConfig>>,
    private readonly tokens: NextTokenCodec,
  ) {}

  /** Fails early when a resolver names a data source that is not configured. */
  public check(name: string, resolver: string): void {
    if (!Object.hasOwn(this.dataSources, name)) {
      throw new RuntimeConfigurationError(
        `${resolver} uses data source "${name}", which is not configured. Configured: ${Object.keys(this.dataSources).join(', ') || 'none'}`,
      );
    }
  }

  /** Executes `request` on the data source named `name`. */
  public invoke(name: string, request: unknown): Promise<DataSourceResult> {
    const config = this.dataSources[name];
    switch (config?.type) {
      case 'AMAZON_DYNAMODB':
        return invokeDynamo(
          { tableName: config.tableName, client: config.client, tokens: this.tokens },
          request,
        );
      case 'HTTP':
        return invokeHttp(config, request);
      case 'NONE':
        return Promise.resolve(invokeNone(request));
      default:
        throw new RuntimeConfigurationError(
          `Data source "${name}" has an unknown type. Received: ${JSON.stringify(config)}`,
        );
    }
  }
}
