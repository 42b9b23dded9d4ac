/*
 * The local APPSYNC_JS runtime: executes the same resolver bundles AppSync runs, with local
 * util/runtime/extensions and the AMAZON_DYNAMODB, HTTP and NONE data sources.
 */
import { randomBytes } from 'node:crypto';
import type { ResolverEntry } from '../manifest.js';
import type { CognitoIdentity, IamIdentity } from '../contract.js';
import { DataSourceInvoker, type DataSourceConfig } from './data-sources/index.js';
import { NextTokenCodec } from './data-sources/next-token.js';
import { RuntimeConfigurationError, type AppSyncError } from './errors.js';
import { executeResolver, toHostValue, type HandlerContext } from './pipeline.js';
import type { GuardedRealm } from './builtin-guard.js';
import { BundleLoader, type HandlerLogger } from './sandbox.js';
import { createAppSyncGlobals, type InvocationRecord } from './util.js';

export type { DataSourceConfig, DataSourceError } from './data-sources/index.js';
export type { AppSyncError } from './errors.js';
export {
  RuntimeConfigurationError,
  UnsupportedBuiltInError,
  UnsupportedHelperError,
} from './errors.js';
export type { HandlerLogger } from './sandbox.js';

/** One field resolution, as the GraphQL engine hands it to the runtime. */
export interface ResolverInvocation {
  readonly typeName: string;
  readonly fieldName: string;
  /** AWSJSON arguments already parsed into values, as AppSync does. */
  readonly arguments: Record<string, unknown>;
  /** Parent object (null at the root). */
  readonly source: unknown;
  readonly identity: CognitoIdentity | IamIdentity | null;
  readonly request: { headers: Record<string, string>; domainName: string | null };
  readonly info: {
    fieldName: string;
    parentTypeName: string;
    variables: Record<string, unknown>;
    selectionSetList: string[];
    selectionSetGraphQL: string;
  };
}

/** What a resolver produced. */
export interface ResolverOutcome {
  /** The response handler's return value (null after util.error). */
  readonly data: unknown;
  /** util.error (then data is null) and util.appendError entries, in the order they happened. */
  readonly errors: AppSyncError[];
  /** What extensions.setSubscriptionFilter received, if called. */
  readonly subscriptionFilter?: unknown;
  /** What extensions.setSubscriptionInvalidationFilter received, if called. */
  readonly invalidationFilter?: unknown;
  /** What extensions.invalidateSubscriptions received, if called. */
  readonly invalidation?: unknown;
}

/** Executes resolver entries. */
export interface ResolverRuntime {
  resolve(entry: ResolverEntry, invocation: ResolverInvocation): Promise<ResolverOutcome>;
  /**
   * Loads a bundle (a path relative to `codeDir`) now, running its top-level code in the sandbox,
   * so a bundle that needs an unsupported built-in fails before its first call.
   */
  load(file: string): Promise<void>;
}

/** Options of {@link createResolverRuntime}. */
export interface ResolverRuntimeOptions {
  /** Folder holding the bundles named in ResolverEntry.code. */
  readonly codeDir: string;
  /** ctx.env: string values, at most 50 keys, each value at most 512 characters. */
  readonly env: Readonly<Record<string, string>>;
  readonly dataSources: Readonly<Record<string, DataSourceConfig>>;
  /** Secret that signs the opaque DynamoDB nextToken. @default a random per-process key */
  readonly nextTokenSecret?: string;
  /** Clock for util.time and ids. @default Date.now */
  readonly now?: () => number;
  /**
   * Longest one handler call may run before it fails with errorType "Code". Opt-in because the
   * watchdog costs more than the handler itself. @default no limit
   */
  readonly handlerTimeoutMs?: number;
  /** Where handler console output goes. @default console with an "[appsync]" prefix */
  readonly log?: HandlerLogger;
}

const MAX_ENV_KEYS = 50;
const MAX_ENV_VALUE_LENGTH = 512;
const PROCESS_TOKEN_SECRET = randomBytes(32).toString('base64');

function validateEnv(env: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const entries = Object.entries(env ?? {});
  if (entries.length > MAX_ENV_KEYS) {
    throw new RuntimeConfigurationError(
      `ctx.env holds at most ${MAX_ENV_KEYS} variables. Received: ${entries.length}`,
    );
  }
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      throw new RuntimeConfigurationError(
        `ctx.env.${key} must be a string. Received: ${JSON.stringify(value)}`,
      );
    }
    if (value.length > MAX_ENV_VALUE_LENGTH) {
      throw new RuntimeConfigurationError(
        `ctx.env.${key} is at most ${MAX_ENV_VALUE_LENGTH} characters. Received: ${value.length} characters`,
      );
    }
  }
  return Object.freeze({ ...env });
}

/* ctx is made of the guarded realm's objects, so handler code meets no host prototype in it. */
function buildContext(
  invocation: ResolverInvocation,
  env: Readonly<Record<string, string>>,
  values: GuardedRealm,
): HandlerContext {
  const base = {
    arguments: invocation.arguments ?? {},
    source: invocation.source ?? null,
    identity: invocation.identity ?? null,
    request: invocation.request ?? null,
    info: invocation.info ?? null,
  };
  return values.context(base, env) as unknown as HandlerContext;
}

/** Creates a runtime; bundles are loaded on first use and cached for its lifetime. */
export function createResolverRuntime(options: ResolverRuntimeOptions): ResolverRuntime {
  const hostEnv = validateEnv(options.env);
  const now = options.now ?? Date.now;
  const globals = createAppSyncGlobals(now);
  const loader = new BundleLoader({
    codeDir: options.codeDir,
    globals,
    ...(options.handlerTimeoutMs === undefined
      ? {}
      : { handlerTimeoutMs: options.handlerTimeoutMs }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const env = loader.values.freezeIn(hostEnv);
  const dataSources = new DataSourceInvoker(
    options.dataSources,
    new NextTokenCodec(options.nextTokenSecret ?? PROCESS_TOKEN_SECRET),
  );
  return {
    async load(file) {
      await loader.load(file);
    },
    async resolve(entry, invocation) {
      const record: InvocationRecord = {
        typeName: invocation.typeName,
        fieldName: invocation.fieldName,
        errors: [],
      };
      const { data, error } = await executeResolver(
        { globals, loader, dataSources },
        entry,
        buildContext(invocation, env, loader.values),
        record,
      );
      return {
        data: error === null ? data : null,
        errors: error === null ? record.errors : [...record.errors, error],
        ...(record.subscriptionFilter === undefined
          ? {}
          : { subscriptionFilter: toHostValue(record.subscriptionFilter) }),
        ...(record.subscriptionInvalidationFilter === undefined
          ? {}
          : { invalidationFilter: toHostValue(record.subscriptionInvalidationFilter) }),
        ...(record.invalidation === undefined
          ? {}
          : { invalidation: toHostValue(record.invalidation) }),
      };
    },
  };
}
