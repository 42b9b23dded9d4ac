/*
 * Loads APPSYNC_JS bundles into isolated node:vm contexts. A bundle (ESM, `@aws-appsync/utils`
 * external) is transformed to CommonJS with esbuild and evaluated once with a `require` that only
 * knows the AppSync modules. Each context is narrowed to the built-ins AWS lists for APPSYNC_JS
 * (builtin-guard.ts): no Date, no eval or Function(string), no process/require/timers, a
 * JSON.parse that returns "" on bad input, and an error naming anything else a handler calls.
 * Values handed to handlers are copied into a guarded realm too, so host objects never leak
 * their unrestricted prototypes into handler code.
 */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import vm from 'node:vm';
import { transform } from 'esbuild';
import { guardRealm, type GuardedRealm, type HandlerLogger } from './builtin-guard.js';
import { RuntimeConfigurationError } from './errors.js';
import { dynamodbModule } from './dynamodb-helpers.js';
import { strictNamespace } from './strict.js';
import type { AppSyncGlobals } from './util.js';

/** A handler a bundle may export. */
export type HandlerName = 'request' | 'response';

/** A loaded bundle whose handlers can be called. */
export interface LoadedBundle {
  readonly file: string;
  /** Calls a handler synchronously with the bundle's context as its globals (and time limit, if set). */
  call(handler: HandlerName, ctx: object): unknown;
}

export type { HandlerLogger } from './builtin-guard.js';

/** Options of {@link BundleLoader}. */
export interface BundleLoaderOptions {
  readonly codeDir: string;
  readonly globals: AppSyncGlobals;
  /**
   * Longest a single handler call may run. Opt-in: enforcing it runs each call through
   * `vm.Script.runInContext` with a watchdog, which dominated CPU profiles of busy stacks.
   * @default no limit (handlers are called directly)
   */
  readonly handlerTimeoutMs?: number;
  /** @default console.<level> with an "[appsync]" prefix */
  readonly log?: HandlerLogger;
}

const CALL = new vm.Script('__appsyncCall.handler(__appsyncCall.ctx)', {
  filename: 'appsync-call.js',
});

function defaultLog(level: Parameters<HandlerLogger>[0], message: string): void {
  console[level](`[appsync] ${message}`);
}

/** Loads each bundle once and caches it. */
export class BundleLoader {
  /** A guarded realm for the values handlers receive (ctx and what crosses between steps). */
  public readonly values: GuardedRealm;
  private readonly cache = new Map<string, Promise<LoadedBundle>>();
  private readonly modules: Record<string, unknown>;
  private readonly log: HandlerLogger;

  public constructor(private readonly options: BundleLoaderOptions) {
    const { util, runtime, extensions } = options.globals;
    this.modules = {
      '@aws-appsync/utils': strictNamespace('@aws-appsync/utils', { util, runtime, extensions }),
      '@aws-appsync/utils/dynamodb': strictNamespace('@aws-appsync/utils/dynamodb', dynamodbModule),
    };
    this.log = options.log ?? defaultLog;
    this.values = this.createContext('appsync-values').realm;
    this.values.finishLoading();
  }

  /** The bundle at `code` (relative to codeDir), loaded on first use. */
  public load(code: string): Promise<LoadedBundle> {
    const file = resolvePath(this.options.codeDir, code);
    let loaded = this.cache.get(file);
    if (loaded === undefined) {
      loaded = this.evaluate(file);
      this.cache.set(file, loaded);
      loaded.catch(() => this.cache.delete(file));
    }
    return loaded;
  }

  private async evaluate(file: string): Promise<LoadedBundle> {
    let source: string;
    try {
      source = await readFile(file, 'utf8');
    } catch (error) {
      throw new RuntimeConfigurationError(`Cannot read resolver bundle ${file}`, { cause: error });
    }
    const { code } = await transform(source, { format: 'cjs', loader: 'js', sourcefile: file });
    const { context, realm } = this.createContext(file);
    const wrapper = new vm.Script(`(function (require, module, exports) {${code}\n})`, {
      filename: file,
    });
    const factory = wrapper.runInContext(context) as (
      req: unknown,
      mod: unknown,
      exp: unknown,
    ) => void;
    const module = { exports: {} as Record<string, unknown> };
    try {
      factory(this.requireFor(file), module, module.exports);
    } catch (error) {
      if (error instanceof RuntimeConfigurationError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new RuntimeConfigurationError(`${file}: top-level code failed: ${reason}`, {
        cause: error,
      });
    }
    realm.finishLoading();
    return this.wrap(file, context, module.exports);
  }

  private createContext(name: string): { context: vm.Context; realm: GuardedRealm } {
    const { util, runtime, extensions } = this.options.globals;
    const context = vm.createContext(
      { util, runtime, extensions },
      { name, codeGeneration: { strings: false, wasm: false } },
    );
    return { context, realm: guardRealm(context, this.log) };
  }

  private requireFor(file: string): (name: string) => unknown {
    return (name: string) => {
      const found = this.modules[name];
      if (found === undefined) {
        throw new RuntimeConfigurationError(
          `${file} imports "${name}"; APPSYNC_JS bundles may only import @aws-appsync/utils and @aws-appsync/utils/dynamodb`,
        );
      }
      return found;
    };
  }

  private wrap(file: string, context: vm.Context, exports: Record<string, unknown>): LoadedBundle {
    const timeout = this.options.handlerTimeoutMs;
    const handlerOf = (handler: HandlerName): ((ctx: object) => unknown) => {
      const fn = exports[handler];
      if (typeof fn !== 'function') {
        throw new RuntimeConfigurationError(`${file} does not export a "${handler}" function`);
      }
      return fn as (ctx: object) => unknown;
    };
    if (timeout === undefined) {
      // The handler was compiled in the context, so a direct call already sees only its globals.
      return { file, call: (handler, ctx) => handlerOf(handler)(ctx) };
    }
    return {
      file,
      call: (handler, ctx) => {
        (context as Record<string, unknown>)['__appsyncCall'] = {
          handler: handlerOf(handler),
          ctx,
        };
        try {
          return CALL.runInContext(context, { timeout });
        } finally {
          (context as Record<string, unknown>)['__appsyncCall'] = undefined;
        }
      },
    };
  }
}
