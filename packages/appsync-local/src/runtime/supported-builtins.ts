/*
 * The JavaScript built-ins APPSYNC_JS supports, as AWS lists them on "Supported runtime
 * features": https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html
 * (the same lists appear for AppSync Events at .../eventapi/runtime-supported-features.html).
 * The page names no Date (and no other global beyond those below), no Array statics, no
 * Number.prototype members, only console.log/error, and says apply, bind and call are not
 * supported. Anything not in this table fails in the local sandbox with its name.
 */

/** Where AWS lists the supported built-ins; error messages point there. */
export const SUPPORTED_FEATURES_URL =
  'https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html';

/** Globals a handler may read: "Globals" on the page, plus the objects the page lists members of. */
export const SUPPORTED_GLOBALS: readonly string[] = [
  'NaN',
  'Infinity',
  'undefined',
  'util',
  'extensions',
  'runtime',
  'Object',
  'String',
  'Number',
  'Array',
  'Math',
  'JSON',
  'console',
];

/**
 * Members each built-in may use, keyed by the path the sandbox resolves from its global. A path
 * listed with no members keeps none (the page lists none for it, or says they are unsupported).
 */
export const SUPPORTED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  Object: ['assign', 'entries', 'hasOwn', 'keys', 'values'],
  'Object.prototype': [],
  String: ['raw'],
  'String.prototype': [
    'length',
    'charAt',
    'concat',
    'endsWith',
    'indexOf',
    'lastIndexOf',
    'replace',
    'replaceAll',
    'slice',
    'split',
    'startsWith',
    'toLowerCase',
    'toUpperCase',
    'trim',
    'trimEnd',
    'trimStart',
  ],
  Number: ['isFinite', 'isNaN'],
  'Number.prototype': [],
  'Boolean.prototype': [],
  Math: ['random', 'min', 'max', 'round', 'floor', 'ceil'],
  Array: [],
  'Array.prototype': [
    'length',
    'concat',
    'fill',
    'flat',
    'indexOf',
    'join',
    'lastIndexOf',
    'pop',
    'push',
    'reverse',
    'shift',
    'slice',
    'sort',
    'splice',
    'unshift',
    'forEach',
    'map',
    'flatMap',
    'filter',
    'reduce',
    'reduceRight',
    'find',
    'some',
    'every',
    'findIndex',
    'findLast',
    'findLastIndex',
  ],
  JSON: ['parse', 'stringify'],
  console: ['error', 'log'],
  // "The apply, bind, and call methods are not supported"; "Function constructors are not supported".
  'Function.prototype': [],
  // Reachable through syntax the linter refuses (regex literals, async functions): nothing works.
  'RegExp.prototype': [],
  'Promise.prototype': [],
};

/**
 * Properties that are language machinery rather than callable built-ins, kept as they are:
 * constructors stay callable as conversions (`String(x)`, `Number(x)`; unverified on AWS), and
 * array methods need `constructor` to create their results.
 */
export const LANGUAGE_MACHINERY: Readonly<Record<string, readonly string[]>> = {
  Object: ['length', 'name', 'prototype'],
  String: ['length', 'name', 'prototype'],
  Number: ['length', 'name', 'prototype'],
  Array: ['length', 'name', 'prototype'],
  'Object.prototype': ['constructor'],
  'String.prototype': ['constructor'],
  'Number.prototype': ['constructor'],
  'Array.prototype': ['constructor'],
  'Function.prototype': ['length', 'name'],
};

/**
 * Recent ECMAScript members that some Node versions lack: trapped even where absent, so code
 * written against a newer Node fails with their name rather than "is not a function".
 */
export const RECENT_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  Object: ['groupBy'],
  Array: ['fromAsync'],
  Math: ['sumPrecise', 'f16round'],
  JSON: ['rawJSON', 'isRawJSON'],
  'Array.prototype': ['at', 'toSorted', 'toReversed', 'toSpliced', 'with'],
  'String.prototype': ['at', 'isWellFormed', 'toWellFormed'],
};

/**
 * Unsupported members esbuild's ESM-to-CommonJS wrapper uses while a bundle loads; they work
 * until its top-level code has run and fail like every other unsupported member afterwards.
 */
export const NEEDED_WHILE_LOADING: readonly string[] = [
  'Object.defineProperty',
  'Object.getOwnPropertyDescriptor',
  'Object.getOwnPropertyNames',
  'Object.create',
  'Object.getPrototypeOf',
  'Object.prototype.hasOwnProperty',
  'Function.prototype.call',
];

/** What to use instead, for the unsupported built-ins people reach for most. */
export const SUPPORTED_ALTERNATIVES: Readonly<Record<string, string>> = {
  Date: 'use util.time',
  'Array.isArray': 'use util.isList',
  'String.prototype.includes': 'use indexOf',
  'Array.prototype.includes': 'use indexOf',
  'String.prototype.codePointAt': 'compare one-character strings with < and >',
  'String.prototype.charCodeAt': 'compare one-character strings with < and >',
  parseInt: 'use Number()',
  parseFloat: 'use Number()',
  RegExp: 'regular expressions are not supported',
};
