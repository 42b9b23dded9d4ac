/*
 * The local AppSync engine: graphql-js over the API's schema, with AppSync's scalars, auth
 * directives and error shape, resolvers executed by the APPSYNC_JS runtime from the built
 * bundles, and subscriptions fed by the mutations named in @aws_subscribe.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  GraphQLError,
  Kind,
  execute,
  getOperationAST,
  parse,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ResolverManifest } from '../manifest.js';
import type { AuthMode, Caller, GraphqlRequest, LocalGraphqlEngine } from '../contract.js';
import { createResolverRuntime, type DataSourceConfig } from '../runtime/index.js';
import { DocumentCache } from './document-cache.js';
import { AppSyncGraphQLError, MALFORMED_REQUEST, toAppSyncError } from './errors.js';
import { installFieldResolvers, type RequestContext } from './field-resolvers.js';
import { publishedEvents } from './publish.js';
import { SubscriptionHub } from './pubsub.js';
import { installAwsScalars } from './scalars.js';
import { loadAppSyncSchema, subscriptionTriggers } from './schema.js';

/** Options of {@link createLocalGraphqlEngine}. */
export interface LocalGraphqlEngineOptions {
  /** The schema (SDL) as deployed to AppSync, without AppSync's built-in scalars and directives. */
  readonly schemaFile: string;
  /** Folder with the built resolver bundles and their manifest.json ({@link ResolverManifest}). */
  readonly manifestDir: string;
  /** `ctx.env` of every resolver. */
  readonly env: Readonly<Record<string, string>>;
  /** Every data source the manifest names, by name. */
  readonly dataSources: Readonly<Record<string, DataSourceConfig>>;
  /** @default 'AMAZON_COGNITO_USER_POOLS' (as the cloud stack) */
  readonly defaultAuthMode?: AuthMode;
  /** @default ['API_KEY', 'AWS_IAM'] */
  readonly additionalAuthModes?: readonly AuthMode[];
  /** Clock of the resolvers (util.time, ids). @default Date.now */
  readonly now?: () => number;
  /** Key that signs pagination tokens. @default a random key per process */
  readonly nextTokenSecret?: string;
  /** Distinct valid documents kept parsed and validated. @default 500 */
  readonly documentCacheSize?: number;
  /**
   * Told about requests AppSync may not serve as we do, e.g. an aliased mutation that
   * therefore publishes nothing. @default console.warn with an "[appsync]" prefix
   */
  readonly warn?: (message: string) => void;
}

/** The engine plus what tests and transports need to manage it. */
export interface ClosableGraphqlEngine extends LocalGraphqlEngine {
  readonly schema: GraphQLSchema;
  /** Number of open subscriptions. */
  readonly subscriptionCount: number;
  /** Ends every subscription; later calls fail with an error result. */
  close(): Promise<void>;
}

/** An ExecutionResult whose errors serialize as AppSync's. */
function finish(result: ExecutionResult, appended: readonly AppSyncGraphQLError[] = []) {
  const errors = [...(result.errors ?? []).map(toAppSyncError), ...appended];
  const { errors: _errors, ...rest } = result;
  return errors.length === 0 ? rest : { ...rest, errors };
}

function failure(message: string, errorType: string): ExecutionResult {
  return { errors: [new AppSyncGraphQLError(new GraphQLError(message), { errorType })] };
}

async function readManifest(
  manifestDir: string,
  dataSources: Readonly<Record<string, DataSourceConfig>>,
): Promise<ResolverManifest> {
  const file = path.join(manifestDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as ResolverManifest;
  for (const source of manifest.dataSources) {
    const configured = dataSources[source.name];
    if (configured === undefined || configured.type !== source.type) {
      throw new Error(
        `${file} needs data source "${source.name}" of type ${source.type}; received ${configured === undefined ? 'none' : configured.type}`,
      );
    }
  }
  return manifest;
}

interface Prepared {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
}

/** The request's document, parsed and validated, from `cache` when the same text was seen. */
function validDocument(
  schema: GraphQLSchema,
  cache: DocumentCache,
  query: string,
): DocumentNode | ExecutionResult {
  const cached = cache.get(query);
  if (cached !== undefined) return cached;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const details = { errorType: MALFORMED_REQUEST };
    return { errors: [new AppSyncGraphQLError(error as GraphQLError, details)] };
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return finish({ errors });
  cache.set(query, document);
  return document;
}

function prepare(
  schema: GraphQLSchema,
  cache: DocumentCache,
  request: GraphqlRequest,
): Prepared | ExecutionResult {
  const document = validDocument(schema, cache, request.query);
  if (!('kind' in document)) return document;
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (operation === null || operation === undefined) {
    const message = request.operationName
      ? `No operation named ${JSON.stringify(request.operationName)} in the document`
      : 'The document holds several operations; give operationName to pick one';
    return failure(message, 'ValidationError');
  }
  return { document, operation };
}

/** The engine over one schema, runtime and subscription hub. */
class LocalAppSyncEngine implements ClosableGraphqlEngine {
  private closed = false;
  private readonly triggers: ReadonlyMap<string, readonly string[]>;
  private readonly documents: DocumentCache;

  constructor(
    readonly schema: GraphQLSchema,
    private readonly hub: SubscriptionHub,
    private readonly modes: ReadonlySet<AuthMode>,
    private readonly warn: (message: string) => void,
    documentCacheSize?: number,
  ) {
    this.triggers = subscriptionTriggers(schema);
    this.documents = new DocumentCache(documentCacheSize);
  }

  get subscriptionCount(): number {
    return this.hub.size;
  }

  private admit(request: GraphqlRequest, caller: Caller): Prepared | ExecutionResult {
    if (this.closed) return failure('The GraphQL engine is closed', 'ServiceUnavailable');
    if (!this.modes.has(caller.authMode)) {
      return failure(
        `Auth mode ${caller.authMode} is not enabled on this API`,
        'UnauthorizedException',
      );
    }
    return prepare(this.schema, this.documents, request);
  }

  private argsOf(request: GraphqlRequest, prepared: Prepared, context: RequestContext) {
    return {
      schema: this.schema,
      document: prepared.document,
      operationName: request.operationName ?? null,
      variableValues: request.variables ?? null,
      contextValue: context,
    };
  }

  async execute(request: GraphqlRequest, caller: Caller): Promise<ExecutionResult> {
    const prepared = this.admit(request, caller);
    if (!('document' in prepared)) return prepared;
    if (prepared.operation.operation === 'subscription') {
      return failure('Subscriptions are served by subscribe(), not execute()', 'ValidationError');
    }
    const context: RequestContext = { caller, appended: [] };
    const result = await execute(this.argsOf(request, prepared, context));
    if (prepared.operation.operation === 'mutation') {
      const options = { fragments: fragmentsOf(prepared.document), warn: this.warn };
      const events = publishedEvents(prepared.operation, result, this.triggers, options);
      for (const { field, event } of events) this.hub.publish(field, event);
    }
    return finish(result, context.appended);
  }

  async subscribe(
    request: GraphqlRequest,
    caller: Caller,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const prepared = this.admit(request, caller);
    if (!('document' in prepared)) return prepared;
    if (prepared.operation.operation !== 'subscription') {
      return failure('subscribe() takes a subscription operation', 'ValidationError');
    }
    const context: RequestContext = { caller, appended: [] };
    const events = await subscribe(this.argsOf(request, prepared, context));
    if (!(Symbol.asyncIterator in events)) return finish(events, context.appended);
    return mapIterator(events, (result) => finish(result, context.appended.splice(0)));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.hub.close();
  }
}

/** Creates the engine from built resolver bundles; fails fast on a missing data source. */
export async function createLocalGraphqlEngine(
  options: LocalGraphqlEngineOptions,
): Promise<ClosableGraphqlEngine> {
  const manifest = await readManifest(options.manifestDir, options.dataSources);
  const schema = await loadAppSyncSchema(options.schemaFile);
  installAwsScalars(schema);
  const hub = new SubscriptionHub();
  const runtime = createResolverRuntime({
    codeDir: options.manifestDir,
    env: options.env,
    dataSources: options.dataSources,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.nextTokenSecret === undefined ? {} : { nextTokenSecret: options.nextTokenSecret }),
  });
  const defaultAuthMode = options.defaultAuthMode ?? 'AMAZON_COGNITO_USER_POOLS';
  const modes = new Set([
    defaultAuthMode,
    ...(options.additionalAuthModes ?? ['API_KEY', 'AWS_IAM']),
  ]);
  installFieldResolvers({ schema, resolvers: manifest.resolvers, runtime, defaultAuthMode, hub });
  const warn = options.warn ?? ((message: string) => console.warn(`[appsync] ${message}`));
  return new LocalAppSyncEngine(schema, hub, modes, warn, options.documentCacheSize);
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

function mapIterator<T, U>(
  source: AsyncIterableIterator<T>,
  map: (value: T) => U,
): AsyncIterableIterator<U> {
  const iterator: AsyncIterableIterator<U> = {
    next: async () => {
      const step = await source.next();
      return step.done ? { done: true, value: undefined } : { done: false, value: map(step.value) };
    },
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
