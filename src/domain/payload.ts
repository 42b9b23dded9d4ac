/*
 * What a payload may hold so that every channel delivers it unchanged.
 *
 * The payload reaches the resolver parsed (AppSync parses AWSJSON inputs), is stored as JSON text
 * in DynamoDB (UTF-8), and is delivered as JSON text on the subscription and the output queue.
 * - A lone surrogate (a UTF-16 half without its partner, e.g. JSON "\ud800") is no Unicode
 *   character: UTF-8 cannot encode it, so DynamoDB cannot store it unchanged. Refused.
 * - Every other character is accepted, C0 controls and U+FFFE/U+FFFF included: they are Unicode
 *   scalar values that UTF-8 stores, JSON text escapes the controls, and the output-queue body
 *   escapes what SQS refuses raw, so each arrives exactly as sent.
 * - A number that JSON text cannot carry (non-finite), or an integer beyond 2^53 - 1 (where
 *   neighbouring integers share one double, so digits may already be lost) is refused, and so is
 *   negative zero, which JSON serialization writes as 0.
 *
 * Runs in APPSYNC_JS: no recursion, regex, while or classic for loops, and only the built-ins
 * AppSync documents (so no charCodeAt or Array.isArray: code units are compared as strings).
 */
import { ErrorType } from './errors.js';
import { fail, ok, type Result } from './result.js';

/** Largest integer a double holds together with all its neighbours (Number.MAX_SAFE_INTEGER). */
export const MAX_EXACT_INTEGER = 9007199254740991;

const HEX_DIGITS = '0123456789ABCDEF'.split('');
const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$';
const MAX_KEY_IN_PATH = 60;

interface Node {
  readonly value: unknown;
  readonly path: string;
}

/**
 * The code unit of a one-unit string as four hex digits, found by comparing strings (the
 * documented built-ins have no charCodeAt); only error messages need it.
 */
export function codeUnitHex(unit: string): string {
  let prefix = '';
  for (const width of [3, 2, 1, 0]) {
    let digit = '0';
    for (const candidate of HEX_DIGITS) {
      const lowest = JSON.parse(`"\\u${prefix}${candidate}${'000'.slice(0, width)}"`) as string;
      if (unit >= lowest) {
        digit = candidate;
      }
    }
    prefix = prefix + digit;
  }
  return prefix;
}

function isHighSurrogate(unit: string): boolean {
  return unit >= '\ud800' && unit <= '\udbff';
}

function isLowSurrogate(unit: string): boolean {
  return unit >= '\udc00' && unit <= '\udfff';
}

/** Index of the first lone surrogate in `text`, or -1 when it is well-formed UTF-16. */
export function loneSurrogateIndex(text: string): number {
  let pendingHigh = -1;
  let index = 0;
  for (const unit of text.split('')) {
    if (pendingHigh >= 0 && !isLowSurrogate(unit)) {
      return pendingHigh;
    }
    if (pendingHigh < 0 && isLowSurrogate(unit)) {
      return index;
    }
    pendingHigh = pendingHigh < 0 && isHighSurrogate(unit) ? index : -1;
    index = index + 1;
  }
  return pendingHigh;
}

function isArrayValue(value: object, keys: readonly string[]): boolean {
  // Arrays own a non-enumerable `length`; a JSON object with a "length" key lists it in keys.
  return Object.hasOwn(value, 'length') && keys.indexOf('length') < 0;
}

function isSimpleName(key: string): boolean {
  if (key === '' || '0123456789'.indexOf(key.charAt(0)) >= 0) {
    return false;
  }
  for (const ch of key.split('')) {
    if (NAME_CHARS.indexOf(ch) < 0) {
      return false;
    }
  }
  return true;
}

function childPath(path: string, key: string, inArray: boolean): string {
  if (inArray) {
    return `${path}[${key}]`;
  }
  if (isSimpleName(key)) {
    return `${path}.${key}`;
  }
  const shown = key.length > MAX_KEY_IN_PATH ? `${key.slice(0, MAX_KEY_IN_PATH)}...` : key;
  return `${path}[${JSON.stringify(shown)}]`;
}

function surrogateProblem(where: string, text: string): string | null {
  const index = loneSurrogateIndex(text);
  if (index < 0) {
    return null;
  }
  return `${where} holds a lone surrogate U+${codeUnitHex(text.charAt(index))} at index ${index}, which no Unicode text can carry; payloads must be valid Unicode`;
}

function numberProblem(path: string, value: number): string | null {
  if (!Number.isFinite(value)) {
    return `${path} is a number beyond what JSON can carry (it would be delivered as null); received ${value}`;
  }
  if (value === 0 && 1 / value < 0) {
    return `${path} is negative zero, which would be delivered as 0; send 0 or a string`;
  }
  if (Math.floor(value) === value && (value > MAX_EXACT_INTEGER || value < -MAX_EXACT_INTEGER)) {
    return `${path} is ${value} once parsed, beyond +-${MAX_EXACT_INTEGER} (2^53 - 1) where numbers lose digits; send it as a string`;
  }
  return null;
}

function nodeProblem(node: Node, work: Node[]): string | null {
  const value = node.value;
  if (typeof value === 'string') {
    return surrogateProblem(node.path, value);
  }
  if (typeof value === 'number') {
    return numberProblem(node.path, value);
  }
  if (value === null || typeof value !== 'object') {
    return null;
  }
  const keys = Object.keys(value);
  const inArray = isArrayValue(value, keys);
  const record = value as Record<string, unknown>;
  for (const key of keys) {
    const keyProblem = inArray ? null : surrogateProblem(`A key in ${node.path}`, key);
    if (keyProblem !== null) {
      return keyProblem;
    }
    work.push({ value: record[key], path: childPath(node.path, key, inArray) });
  }
  return null;
}

/**
 * Checks a parsed payload (any JSON value) for what could not reach every channel unchanged;
 * the error names the JSON path under `root` (e.g. `input.payload.items[2].name`).
 */
export function validatePayloadValue(value: unknown, root: string): Result<unknown> {
  const work: Node[] = [{ value, path: root }];
  // The list grows while it is walked: an explicit stack instead of recursion.
  for (const node of work) {
    const problem = nodeProblem(node, work);
    if (problem !== null) {
      return fail(ErrorType.validation, problem);
    }
  }
  return ok(value);
}
