import { UnsupportedHelperError } from './errors.js';

/*
 * Keys that JavaScript machinery probes on any object (module interop, promise resolution,
 * JSON, inspection); reading them must not count as using an unsupported helper.
 */
const PROBED_KEYS = new Set([
  '__esModule',
  'default',
  'then',
  'toJSON',
  'constructor',
  'valueOf',
  'toString',
  'inspect',
  'asymmetricMatch',
  '$$typeof',
  'nodeType',
  'prototype',
]);

/**
 * Wraps a helper namespace so that reading a member it lacks throws an error naming it
 * (`util.xml.toMap is not supported by the local AppSync runtime`) instead of yielding undefined.
 */
export function strictNamespace<T extends object>(path: string, members: T): T {
  return new Proxy(members, {
    get(target, property, receiver) {
      if (typeof property === 'symbol' || Object.hasOwn(target, property)) {
        return Reflect.get(target, property, receiver) as unknown;
      }
      if (PROBED_KEYS.has(property)) {
        return undefined;
      }
      throw new UnsupportedHelperError(`${path}.${property}`);
    },
    set(_target, property) {
      throw new TypeError(`${path}.${String(property)} is read-only`);
    },
  });
}
