/*
 * Unit and pipeline resolver execution with AppSync's semantics: stash shared by every step,
 * ctx.prev.result carrying each step's result, runtime.earlyReturn skipping ahead, util.error
 * ending the resolver with a null field, ctx.error when a data source call fails.
 */
import type { PipelineFunctionEntry, ResolverEntry } from '../manifest.js';
import type { DataSourceInvoker, DataSourceError } from './data-sources/index.js';
import { MAPPING_TEMPLATE_ERROR_TYPE, RequestShapeError } from './data-sources/index.js';
import {
  EarlyReturnSignal,
  RuntimeConfigurationError,
  UtilErrorSignal,
  codeError,
  type AppSyncError,
} from './errors.js';
import type { BundleLoader, HandlerName, LoadedBundle } from './sandbox.js';
import type { AppSyncGlobals, InvocationRecord } from './util.js';

/** The `ctx` object handlers receive. */
export interface HandlerContext {
  arguments: unknown;
  args: unknown;
  source: unknown;
  identity: unknown;
  request: unknown;
  info: unknown;
  stash: Record<string, unknown>;
  prev: { result: unknown };
  result: unknown;
  error?: DataSourceError;
  env: Readonly<Record<string, string>>;
}

type Outcome =
  | { kind: 'value'; value: unknown }
  | { kind: 'early'; value: unknown; skipTo: 'END' | 'NEXT' | null }
  | { kind: 'error'; error: AppSyncError };

/** Everything one resolver execution needs. */
export interface ExecutionDeps {
  readonly globals: AppSyncGlobals;
  readonly loader: BundleLoader;
  readonly dataSources: DataSourceInvoker;
}

/**
 * Values leave the sandbox as JSON, as they do between AppSync's steps; they come back in through
 * the loader's guarded realm (`loader.values.copyIn`).
 */
export function toHostValue(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

function callHandler(
  deps: ExecutionDeps,
  bundle: LoadedBundle,
  handler: HandlerName,
  ctx: HandlerContext,
  record: InvocationRecord,
  where: string,
): Outcome {
  try {
    const value = deps.globals.withInvocation(record, () => bundle.call(handler, ctx));
    return { kind: 'value', value: toHostValue(value) };
  } catch (thrown) {
    if (thrown instanceof UtilErrorSignal) return { kind: 'error', error: thrown.error };
    if (thrown instanceof EarlyReturnSignal)
      return { kind: 'early', value: toHostValue(thrown.value), skipTo: thrown.skipTo };
    if (thrown instanceof RuntimeConfigurationError) throw thrown;
    return { kind: 'error', error: codeError(thrown, `${where} ${handler} handler`) };
  }
}

/** request -> data source -> response, for a unit resolver or one pipeline function. */
async function runStep(
  deps: ExecutionDeps,
  bundle: LoadedBundle,
  dataSource: string,
  ctx: HandlerContext,
  record: InvocationRecord,
  where: string,
): Promise<Outcome> {
  const request = callHandler(deps, bundle, 'request', ctx, record, where);
  if (request.kind !== 'value') return request;
  try {
    const { result, error } = await deps.dataSources.invoke(dataSource, request.value);
    ctx.result = deps.loader.values.copyIn(result);
    if (error === null) delete ctx.error;
    else ctx.error = deps.loader.values.copyIn(error) as DataSourceError;
  } catch (thrown) {
    if (!(thrown instanceof RequestShapeError)) throw thrown;
    return {
      kind: 'error',
      error: {
        message: thrown.message,
        errorType: MAPPING_TEMPLATE_ERROR_TYPE,
        data: null,
        errorInfo: null,
      },
    };
  }
  const response = callHandler(deps, bundle, 'response', ctx, record, where);
  delete ctx.error;
  return response.kind === 'early' ? { kind: 'value', value: response.value } : response;
}

async function runFunctions(
  deps: ExecutionDeps,
  functions: readonly PipelineFunctionEntry[],
  ctx: HandlerContext,
  record: InvocationRecord,
  where: string,
): Promise<AppSyncError | null> {
  for (const fn of functions) {
    const bundle = await deps.loader.load(fn.code);
    ctx.result = null;
    const outcome = await runStep(
      deps,
      bundle,
      fn.dataSource,
      ctx,
      record,
      `${where} function ${fn.name}`,
    );
    if (outcome.kind === 'error') return outcome.error;
    ctx.prev = deps.loader.values.copyIn({ result: outcome.value }) as { result: unknown };
    if (outcome.kind === 'early' && outcome.skipTo === 'END') break;
  }
  return null;
}

/** The result of one execution: the field's value, or null with the error that stopped it. */
export interface StepResult {
  readonly data: unknown;
  readonly error: AppSyncError | null;
}

/** Runs a resolver entry to completion; configuration mistakes are thrown, handler failures returned. */
export async function executeResolver(
  deps: ExecutionDeps,
  entry: ResolverEntry,
  ctx: HandlerContext,
  record: InvocationRecord,
): Promise<StepResult> {
  const where = `${entry.typeName}.${entry.fieldName}`;
  const bundle = await deps.loader.load(entry.code);
  if (entry.kind === 'UNIT') {
    deps.dataSources.check(entry.dataSource, where);
    const outcome = await runStep(deps, bundle, entry.dataSource, ctx, record, where);
    return outcome.kind === 'error'
      ? { data: null, error: outcome.error }
      : { data: outcome.value, error: null };
  }
  for (const fn of entry.functions)
    deps.dataSources.check(fn.dataSource, `${where} function ${fn.name}`);
  const before = callHandler(deps, bundle, 'request', ctx, record, where);
  if (before.kind === 'error') return { data: null, error: before.error };
  ctx.prev = deps.loader.values.copyIn({ result: before.value }) as { result: unknown };
  if (before.kind === 'value') {
    const failure = await runFunctions(deps, entry.functions, ctx, record, where);
    if (failure !== null) return { data: null, error: failure };
  }
  ctx.result = ctx.prev.result;
  const after = callHandler(deps, bundle, 'response', ctx, record, where);
  return after.kind === 'error'
    ? { data: null, error: after.error }
    : { data: after.value, error: null };
}
