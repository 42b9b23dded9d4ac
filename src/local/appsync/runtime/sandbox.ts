/*
 * Loads APPSYNC_JS bundles into isolated node:vm contexts. A bundle (ESM, `@aws-appsync/utils`
 * external) is transformed to CommonJS with esbuild and evaluated once with a `require` that only
 * knows the AppSync modules. The context is shaped like APPSYNC_JS: no Date, no eval or
 * Function(string), no process/require/timers, and a JSON.parse that returns "" on bad input.
 */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import vm from 'node:vm';
import { transform } from 'esbuild';
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

/** Where console output of handler code goes. */
export type HandlerLogger = (
  level: 'log' | 'info' | 'warn' | 'error' | 'debug',
  message: string,
) => void;

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

/* Runs inside each new context before the bundle: removes what APPSYNC_JS lacks. */
const PRELUDE = `(() => {
  const strictParse = JSON.parse;
  Object.defineProperty(JSON, 'parse', {
    value: function parse(text, reviver) { try { return strictParse(text, reviver); } catch { return ''; } },
    writable: true, configurable: true,
  });
  for (const name of ['Date', 'eval', 'WebAssembly', 'SharedArrayBuffer', 'Atomics', 'WeakRef', 'FinalizationRegistry']) {
    delete globalThis[name];
  }
})();`;
const CALL = new vm.Script('__appsyncCall.handler(__appsyncCall.ctx)', {
  filename: 'appsync-call.js',
});

function defaultLog(level: Parameters<HandlerLogger>[0], message: string): void {
  console[level](`[appsync] ${message}`);
}

function sandboxConsole(log: HandlerLogger): object {
  const write =
    (level: Parameters<HandlerLogger>[0]) =>
    (...parts: unknown[]) =>
      log(
        level,
        parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '),
      );
  return {
    log: write('log'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
  };
}

/** Loads each bundle once and caches it. */
export class BundleLoader {
  private readonly cache = new Map<string, Promise<LoadedBundle>>();
  private readonly modules: Record<string, unknown>;

  public constructor(private readonly options: BundleLoaderOptions) {
    const { util, runtime, extensions } = options.globals;
    this.modules = {
      '@aws-appsync/utils': strictNamespace('@aws-appsync/utils', { util, runtime, extensions }),
      '@aws-appsync/utils/dynamodb': strictNamespace('@aws-appsync/utils/dynamodb', dynamodbModule),
    };
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
    const context = this.createContext(file);
    const wrapper = new vm.Script(`(function (require, module, exports) {${code}\n})`, {
      filename: file,
    });
    const factory = wrapper.runInContext(context) as (
      req: unknown,
      mod: unknown,
      exp: unknown,
    ) => void;
    const module = { exports: {} as Record<string, unknown> };
    factory(this.requireFor(file), module, module.exports);
    return this.wrap(file, context, module.exports);
  }

  private createContext(file: string): vm.Context {
    const { util, runtime, extensions } = this.options.globals;
    const context = vm.createContext(
      { util, runtime, extensions, console: sandboxConsole(this.options.log ?? defaultLog) },
      { name: file, codeGeneration: { strings: false, wasm: false } },
    );
    vm.runInContext(PRELUDE, context, { filename: 'appsync-prelude.js' });
    return context;
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
