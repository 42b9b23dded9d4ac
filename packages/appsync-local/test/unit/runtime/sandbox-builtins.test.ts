import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolverRuntime, type ResolverRuntime } from '../../../src/runtime/index.js';
import {
  SUPPORTED_FEATURES_URL,
  SUPPORTED_MEMBERS,
} from '../../../src/runtime/supported-builtins.js';
import {
  buildFixtures,
  invocation,
  unitEntry,
  type FixtureBundles,
} from '../../fixtures/runtime/build.js';

/* Probe (see the fixture) -> the built-in the error must name. */
const UNSUPPORTED: Record<string, string> = {
  codePointAt: 'String.prototype.codePointAt',
  codePointAtThroughVariable: 'String.prototype.codePointAt',
  codePointAtOptionalCall: 'String.prototype.codePointAt',
  codePointAtComputed: 'String.prototype.codePointAt',
  codePointAtOnArgument: 'String.prototype.codePointAt',
  charCodeAt: 'String.prototype.charCodeAt',
  includes: 'String.prototype.includes',
  padStart: 'String.prototype.padStart',
  functionCall: 'Function.prototype.call',
  functionApply: 'Function.prototype.apply',
  functionBind: 'Function.prototype.bind',
  functionConstructor: 'Function.prototype.constructor',
  toSorted: 'Array.prototype.toSorted',
  toSortedOnArgument: 'Array.prototype.toSorted',
  arrayIncludes: 'Array.prototype.includes',
  arrayAt: 'Array.prototype.at',
  arrayIsArray: 'Array.isArray',
  arrayFrom: 'Array.from',
  sortWithComparator: 'Array.prototype.sort with arguments',
  objectGroupBy: 'Object.groupBy',
  objectFreeze: 'Object.freeze',
  objectFromEntries: 'Object.fromEntries',
  hasOwnProperty: 'Object.prototype.hasOwnProperty',
  hasOwnPropertyOnStash: 'Object.prototype.hasOwnProperty',
  objectToString: 'Object.prototype.toString',
  arrayToString: 'Array.prototype.toString',
  toFixed: 'Number.prototype.toFixed',
  numberParseInt: 'Number.parseInt',
  numberMaxSafeInteger: 'Number.MAX_SAFE_INTEGER',
  mathPi: 'Math.PI',
  mathAbs: 'Math.abs',
  mathTrunc: 'Math.trunc',
  jsonRawJson: 'JSON.rawJSON',
  consoleWarn: 'console.warn',
  replaceWithPattern: 'String.prototype.replace with the pattern "."',
  replaceWithFunction:
    'String.prototype.replace with a pattern or replacement that is not a string',
  date: 'Date',
  parseInt: 'parseInt',
  map: 'Map',
  globalThis: 'globalThis',
  regexp: 'RegExp.prototype.test',
};

describe('local APPSYNC_JS sandbox: only the built-ins AWS lists', () => {
  let bundles: FixtureBundles;
  let runtime: ResolverRuntime;
  const logged: string[] = [];
  beforeAll(async () => {
    bundles = await buildFixtures(['sandbox-probe', 'sandbox-top-level', 'supported-builtins']);
    runtime = createResolverRuntime({
      codeDir: bundles.codeDir,
      env: {},
      dataSources: { none: { type: 'NONE' } },
      log: (level, message) => logged.push(`${level}: ${message}`),
    });
  });
  afterAll(async () => {
    await bundles.remove();
  });

  it.each(Object.entries(UNSUPPORTED))(
    'fail the %s probe with an error naming %s',
    async (probe, builtIn) => {
      // Act
      const outcome = await runtime.resolve(
        unitEntry('sandbox-probe', 'none'),
        invocation({ arguments: { probe, text: 'x', list: [3, 1] } }),
      );
      // Assess
      expect(outcome.data).toBeNull();
      expect(outcome.errors).toHaveLength(1);
      expect(outcome.errors[0]?.errorType).toBe('Code');
      expect(outcome.errors[0]?.message).toContain(`APPSYNC_JS does not support ${builtIn}`);
      expect(outcome.errors[0]?.message).toContain(SUPPORTED_FEATURES_URL);
    },
  );

  it('suggest util.time when a handler reaches for Date', async () => {
    const outcome = await runtime.resolve(
      unitEntry('sandbox-probe', 'none'),
      invocation({ arguments: { probe: 'date' } }),
    );
    expect(outcome.errors[0]?.message).toContain('Date; use util.time');
  });

  it('refuse a bundle whose top-level code uses an unsupported built-in, naming it', async () => {
    await expect(
      runtime.resolve(unitEntry('sandbox-top-level', 'none'), invocation()),
    ).rejects.toThrow(
      /top-level code failed: APPSYNC_JS does not support String\.prototype\.codePointAt/,
    );
  });

  it('keep every documented member working, on literals and on values from ctx', async () => {
    // Act
    const outcome = await runtime.resolve(
      unitEntry('supported-builtins', 'none'),
      invocation({ arguments: { words: ['a', 'b', 'c'], text: 'hello' } }),
    );
    // Assess
    expect(outcome.errors).toEqual([]);
    const data = outcome.data as Record<string, unknown>;
    const documented = Object.entries(SUPPORTED_MEMBERS).flatMap(([path, names]) =>
      names.map((name) => `${path}.${name}`),
    );
    expect(documented.filter((path) => !Object.hasOwn(data, path))).toEqual([]);
    expect(data).toEqual({
      'Object.assign': { a: 1, b: 2 },
      'Object.entries': [['a', 1]],
      'Object.hasOwn': [true, false],
      'Object.keys': ['a', 'b'],
      'Object.values': [1, 2],
      delete: { kept: 2 },
      'String.raw': 'a\\nb1',
      'String.prototype.length': 5,
      'String.prototype.charAt': 'e',
      'String.prototype.concat': 'hello-x',
      'String.prototype.endsWith': true,
      'String.prototype.indexOf': 2,
      'String.prototype.lastIndexOf': 3,
      'String.prototype.replace': 'a+b-c',
      'String.prototype.replaceAll': 'a+b+c',
      'String.prototype.slice': 'el',
      'String.prototype.split': ['a', 'b'],
      'String.prototype.startsWith': true,
      'String.prototype.toLowerCase': 'abc',
      'String.prototype.toUpperCase': 'HELLO',
      'String.prototype.trim': 'x',
      'String.prototype.trimEnd': '  x',
      'String.prototype.trimStart': 'x  ',
      'Number.isFinite': [true, false],
      'Number.isNaN': [true, false],
      'Math.random': true,
      'Math.min': 1,
      'Math.max': 3,
      'Math.round': 2,
      'Math.floor': 1,
      'Math.ceil': 2,
      'Array.prototype.length': 3,
      'Array.prototype.concat': ['a', 'b', 'c', 'z'],
      'Array.prototype.fill': [0, 7, 7],
      'Array.prototype.flat': [1, 2, [3]],
      'Array.prototype.indexOf': 1,
      'Array.prototype.join': 'a+b+c',
      'Array.prototype.lastIndexOf': 2,
      'Array.prototype.pop': [2, [1]],
      'Array.prototype.push': [3, [1, 2, 3]],
      'Array.prototype.reverse': [3, 2, 1],
      'Array.prototype.shift': [1, [2]],
      'Array.prototype.slice': ['b', 'c'],
      'Array.prototype.sort': ['a', 'b', 'c'],
      'Array.prototype.splice': [
        [2, 3],
        [1, 4],
      ],
      'Array.prototype.unshift': [2, [1, 2]],
      'Array.prototype.forEach': 6,
      'Array.prototype.map': ['A', 'B', 'C'],
      'Array.prototype.flatMap': [1, 10, 2, 20],
      'Array.prototype.filter': [2, 4],
      'Array.prototype.reduce': 6,
      'Array.prototype.reduceRight': 'cba',
      'Array.prototype.find': 2,
      'Array.prototype.some': true,
      'Array.prototype.every': false,
      'Array.prototype.findIndex': 1,
      'Array.prototype.findLast': 2,
      'Array.prototype.findLastIndex': 1,
      'JSON.parse': [{ a: [1] }, ''],
      'JSON.stringify': '{"a":[1,"x"]}',
      'console.log': 'logged',
      'console.error': 'logged',
      globals: [true, true, 'undefined'],
      conversions: ['12', 3.5, '2', 'a1'],
      syntax: 5,
    });
    expect(logged).toEqual(['log: supported {"n":1}', 'error: also supported']);
  });
});
