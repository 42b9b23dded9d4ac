import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Stack } from 'aws-cdk-lib';
import {
  AppsyncFunction,
  Code,
  FunctionRuntime,
  Resolver,
  type BaseDataSource,
  type GraphqlApi,
} from 'aws-cdk-lib/aws-appsync';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type {
  DataSourceEntry,
  PipelineFunctionEntry,
  ResolverEntry,
} from '../../src/resolver-manifest.js';
import { judgeCodeSize } from '../appsync-code-size.js';
import type { LoadedManifest } from '../resolver-manifest-loader.js';

/** Properties of {@link ManifestResolvers}. */
export interface ManifestResolversProps {
  readonly api: GraphqlApi;
  readonly loaded: LoadedManifest;
  /** Backs the AMAZON_DYNAMODB data source. */
  readonly table: ITable;
  /** The queue the HTTP data source may send to. */
  readonly delayQueue: IQueue;
}

/** Data sources, pipeline functions and resolvers exactly as the resolver manifest lists them. */
export class ManifestResolvers extends Construct {
  readonly dataSources = new Map<string, BaseDataSource>();
  readonly functions = new Map<string, AppsyncFunction>();
  readonly resolvers: Resolver[] = [];
  /** The data sources backed by the table, whose roles may read and write it. */
  readonly tableSources: BaseDataSource[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ManifestResolversProps,
  ) {
    super(scope, id);
    for (const entry of props.loaded.manifest.dataSources) {
      this.dataSources.set(entry.name, this.addDataSource(entry));
    }
    for (const entry of props.loaded.manifest.resolvers) {
      this.resolvers.push(this.addResolver(entry));
    }
  }

  private addDataSource(entry: DataSourceEntry): BaseDataSource {
    const { api } = this.props;
    switch (entry.type) {
      case 'AMAZON_DYNAMODB': {
        const source = api.addDynamoDbDataSource(entry.name, this.props.table, {
          name: entry.name,
        });
        this.tableSources.push(source);
        return source;
      }
      case 'HTTP': {
        const region = Stack.of(this).region;
        const source = api.addHttpDataSource(entry.name, `https://sqs.${region}.amazonaws.com`, {
          name: entry.name,
          authorizationConfig: { signingRegion: region, signingServiceName: 'sqs' },
        });
        this.props.delayQueue.grantSendMessages(source);
        return source;
      }
      case 'NONE':
        return api.addNoneDataSource(entry.name, { name: entry.name });
      default:
        throw new Error(
          `PreciseScheduler: unknown data source type in the resolver manifest. Received: ${String((entry as DataSourceEntry).type)}`,
        );
    }
  }

  private addResolver(entry: ResolverEntry): Resolver {
    const common = {
      api: this.props.api,
      typeName: entry.typeName,
      fieldName: entry.fieldName,
      runtime: FunctionRuntime.JS_1_0_0,
      code: this.code(entry.code),
    };
    const id = `${entry.typeName}${entry.fieldName[0]?.toUpperCase()}${entry.fieldName.slice(1)}`;
    if (entry.kind === 'UNIT') {
      return new Resolver(this, id, { ...common, dataSource: this.dataSource(entry.dataSource) });
    }
    return new Resolver(this, id, {
      ...common,
      pipelineConfig: entry.functions.map((f) => this.pipelineFunction(f)),
    });
  }

  /** One AppsyncFunction per name; a second pipeline using it must agree on code and source. */
  private pipelineFunction(entry: PipelineFunctionEntry): AppsyncFunction {
    const existing = this.functions.get(entry.name);
    if (existing !== undefined) {
      if (existing.dataSource !== this.dataSource(entry.dataSource)) {
        throw new Error(
          `PreciseScheduler: pipeline function ${entry.name} is declared with two data sources. Received: ${entry.dataSource}`,
        );
      }
      return existing;
    }
    // AppSync function names allow only letters, digits and underscores.
    const name = entry.name.replace(/[^_0-9A-Za-z]/g, '_');
    const created = new AppsyncFunction(this, `Function${name}`, {
      api: this.props.api,
      name,
      dataSource: this.dataSource(entry.dataSource),
      runtime: FunctionRuntime.JS_1_0_0,
      code: this.code(entry.code),
    });
    this.functions.set(entry.name, created);
    return created;
  }

  private dataSource(name: string): BaseDataSource {
    const source = this.dataSources.get(name);
    if (source === undefined) {
      throw new Error(
        `PreciseScheduler: undeclared data source in the resolver manifest. Received: ${name}`,
      );
    }
    return source;
  }

  /** The bundle as an asset, after checking it against AppSync's code limit. */
  private code(relative: string): Code {
    const file = path.resolve(this.props.loaded.dir, relative);
    const verdict = judgeCodeSize(relative, readFileSync(file, 'utf8'));
    if (verdict.kind === 'over') {
      throw new Error(
        `PreciseScheduler: resolver code is too large for AppSync. Received: ${verdict.message}`,
      );
    }
    if (verdict.kind === 'near') {
      Annotations.of(this).addWarningV2('precise-scheduler:resolver-code-size', verdict.message);
    }
    return Code.fromAsset(file);
  }
}
