/*
 * Narrows a sandbox realm's built-ins to what APPSYNC_JS supports (supported-builtins.ts). Every
 * unlisted member is replaced, on the realm's own intrinsics, by a function that throws naming it,
 * and every unlisted global by a getter that does: so a method reached through a variable, an
 * optional call, `.call`/`.apply` or a computed key fails the same way, while supported methods
 * stay the engine's own functions and cost nothing extra per call.
 */
import vm from 'node:vm';
import { UnsupportedBuiltInError } from './errors.js';
import {
  LANGUAGE_MACHINERY,
  NEEDED_WHILE_LOADING,
  RECENT_MEMBERS,
  SUPPORTED_ALTERNATIVES,
  SUPPORTED_FEATURES_URL,
  SUPPORTED_GLOBALS,
  SUPPORTED_MEMBERS,
} from './supported-builtins.js';

/** Where handler console output goes. */
export type HandlerLogger = (
  level: 'log' | 'info' | 'warn' | 'error' | 'debug',
  message: string,
) => void;

/** What the host keeps of a guarded realm. */
export interface GuardedRealm {
  /** Ends the grace esbuild's module wrapper needs; call once the bundle's top level has run. */
  finishLoading(): void;
  /** A copy of a JSON-compatible host value made of this realm's objects (undefined becomes null). */
  copyIn(value: unknown): unknown;
  /** A frozen copy, for values every call shares. */
  freezeIn<T>(value: T): T;
  /**
   * A handler's `ctx` in one step: copies of `base` (arguments, source, identity, request, info),
   * `args` aliasing `arguments`, an empty stash, a null prev.result and result, and `env`.
   */
  context(base: Readonly<Record<string, unknown>>, env: unknown): Record<string, unknown>;
}

type Lookup = Readonly<Record<string, Readonly<Record<string, true>>>>;

const asLookup = (lists: Readonly<Record<string, readonly string[]>>): Lookup =>
  Object.fromEntries(
    Object.entries(lists).map(([path, names]) => [
      path,
      Object.fromEntries(names.map((name) => [name, true as const])),
    ]),
  );

const SPEC = {
  members: asLookup(SUPPORTED_MEMBERS),
  machinery: asLookup(LANGUAGE_MACHINERY),
  recent: RECENT_MEMBERS,
  globals: Object.fromEntries(SUPPORTED_GLOBALS.map((name) => [name, true])),
  whileLoading: Object.fromEntries(NEEDED_WHILE_LOADING.map((name) => [name, true])),
};

/* Java regular-expression metacharacters (java.util.regex.Pattern) and replacement specials. */
const PATTERN_SPECIALS = '\\^$.|?*+()[]{}';
const REPLACEMENT_SPECIALS = '$\\';

/*
 * Compiled inside each realm, before any bundle code, so that every function it creates belongs
 * to that realm. It only captures what it needs up front: the intrinsics it narrows are patched
 * by the time handler code runs.
 */
const INSTALL_SOURCE = `(function installBuiltInGuard(spec, fail, hostLog, patternSpecials, replacementSpecials) {
  'use strict';
  const { apply, construct, defineProperty, getOwnPropertyDescriptor, ownKeys } = Reflect;
  const hasOwn = Object.hasOwn;
  const freeze = Object.freeze;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const indexOf = String.prototype.indexOf;
  const split = String.prototype.split;
  const realmGlobal = globalThis;
  const none = freeze({});
  let loading = true;

  const holds = (text, characters) => {
    for (const ch of characters) if (apply(indexOf, text, [ch]) >= 0) return true;
    return false;
  };
  const wrappers = {
    'JSON.parse': (original) => ({ parse(text, reviver) {
      try { return apply(original, this, reviver === undefined ? [text] : [text, reviver]); } catch { return ''; }
    } }).parse,
    'Array.prototype.sort': (original) => ({ sort(...args) {
      if (args.length > 0) return fail('Array.prototype.sort', 'with arguments (it takes no comparator)');
      return apply(original, this, []);
    } }).sort,
    'String.prototype.replace': (original) => textReplacer('replace', original),
    'String.prototype.replaceAll': (original) => textReplacer('replaceAll', original),
    'console.log': () => ({ log(...parts) { hostLog('log', parts); } }).log,
    'console.error': () => ({ error(...parts) { hostLog('error', parts); } }).error,
  };
  function textReplacer(name, original) {
    const path = 'String.prototype.' + name;
    return ({ [name](pattern, replacement) {
      if (typeof pattern !== 'string' || typeof replacement !== 'string') {
        return fail(path, 'with a pattern or replacement that is not a string (regular expressions and functions are not supported)');
      }
      if (holds(pattern, patternSpecials)) {
        return fail(path, 'with the pattern ' + stringify(pattern) + ': AppSync reads it as a Java regular expression, which the local runtime does not model');
      }
      if (holds(replacement, replacementSpecials)) {
        return fail(path, 'with the replacement ' + stringify(replacement) + ': "$" and "\\\\" are special in Java replacements, which the local runtime does not model');
      }
      return apply(original, this, [pattern, replacement]);
    } })[name];
  }

  function trapMethod(name, path, original) {
    const lenient = hasOwn(spec.whileLoading, path);
    return ({ [name](...args) {
      if (lenient && loading) return apply(original, this, args);
      return fail(path, '');
    } })[name];
  }
  function trap(destination, key, path, descriptor) {
    if (hasOwn(descriptor, 'value') && typeof descriptor.value === 'function') {
      defineProperty(destination, key, { value: trapMethod(key, path, descriptor.value),
        writable: descriptor.writable, enumerable: descriptor.enumerable, configurable: true });
    } else {
      defineProperty(destination, key, { get() { return fail(path, ''); }, set() { fail(path, ''); },
        enumerable: descriptor.enumerable, configurable: true });
    }
  }
  // Constants such as Math.PI cannot be redefined: such an object is replaced by a facade.
  function facadeFor(original) {
    if (typeof original !== 'function') return {};
    return function (...args) {
      return new.target === undefined ? apply(original, undefined, args) : construct(original, args);
    };
  }
  function narrow(path, target) {
    const allowed = spec.members[path];
    const machinery = spec.machinery[path] ?? none;
    const keys = ownKeys(target);
    const keeps = (key) => typeof key === 'symbol' || hasOwn(allowed, key) || hasOwn(machinery, key);
    let destination = target;
    for (const key of keys) {
      if (!keeps(key) && !getOwnPropertyDescriptor(target, key).configurable) destination = facadeFor(target);
    }
    for (const key of keys) {
      const descriptor = getOwnPropertyDescriptor(target, key);
      const wrap = typeof key === 'string' && hasOwn(allowed, key) ? wrappers[path + '.' + key] : undefined;
      if (wrap !== undefined) {
        defineProperty(destination, key, { ...descriptor, value: wrap(descriptor.value) });
      } else if (keeps(key)) {
        if (destination !== target) defineProperty(destination, key, descriptor);
      } else {
        trap(destination, key, path + '.' + key, descriptor);
      }
    }
    for (const key of spec.recent[path] ?? []) {
      if (!hasOwn(destination, key)) trap(destination, key, path + '.' + key, { value: undefined, enumerable: false });
    }
    return destination;
  }

  const targets = [];
  for (const path of ownKeys(spec.members)) {
    let target = realmGlobal;
    for (const part of apply(split, path, ['.'])) target = target[part];
    targets.push([path, target]);
  }
  for (const [path, target] of targets) {
    const narrowed = narrow(path, target);
    if (narrowed !== target) defineProperty(realmGlobal, path, { value: narrowed, writable: true, configurable: true });
  }
  for (const key of ownKeys(realmGlobal)) {
    if (typeof key !== 'string' || hasOwn(spec.globals, key)) continue;
    const descriptor = getOwnPropertyDescriptor(realmGlobal, key);
    if (descriptor.configurable) trap(realmGlobal, key, key, { enumerable: descriptor.enumerable });
  }
  return {
    finishLoading() { loading = false; },
    copyIn(text) { return parse(text); },
    freezeIn(text) { return freeze(parse(text)); },
    context(text, env) {
      const ctx = parse(text);
      ctx.args = ctx.arguments;
      ctx.stash = {};
      ctx.prev = { result: null };
      ctx.result = null;
      ctx.env = env;
      return ctx;
    },
  };
})`;

function fail(builtIn: string, detail: string): never {
  throw new UnsupportedBuiltInError(
    builtIn,
    detail,
    SUPPORTED_ALTERNATIVES[builtIn],
    SUPPORTED_FEATURES_URL,
  );
}

function formatParts(parts: readonly unknown[]): string {
  return Array.from(parts, (part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(
    ' ',
  );
}

interface RealmHandle {
  finishLoading(): void;
  copyIn(text: string): unknown;
  freezeIn(text: string): unknown;
  context(text: string, env: unknown): Record<string, unknown>;
}

/** Narrows the built-ins of a fresh context; call before any other code runs in it. */
export function guardRealm(context: vm.Context, log: HandlerLogger): GuardedRealm {
  const install = vm.runInContext(INSTALL_SOURCE, context, {
    filename: 'appsync-builtin-guard.js',
  }) as (...args: unknown[]) => RealmHandle;
  const hostLog = (level: 'log' | 'error', parts: readonly unknown[]): void =>
    log(level, formatParts(parts));
  const realm = install(SPEC, fail, hostLog, PATTERN_SPECIALS, REPLACEMENT_SPECIALS);
  return {
    finishLoading: () => realm.finishLoading(),
    copyIn: (value) => {
      const text = value === undefined ? undefined : JSON.stringify(value);
      return text === undefined ? null : realm.copyIn(text);
    },
    freezeIn: <T>(value: T) => realm.freezeIn(JSON.stringify(value)) as T,
    context: (base, env) => realm.context(JSON.stringify(base), env),
  };
}
