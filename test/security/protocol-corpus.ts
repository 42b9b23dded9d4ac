/*
 * Hostile request shapes for the transport layer (HTTP, graphql-ws, AppSync real-time): nesting,
 * fan-out and size that once overflowed the stack, and malformed real-time frames. Values are
 * built as JSON text so the tests never walk them recursively themselves.
 */

/** A hostile `variables` object, as the JSON text a client would send. */
export interface HostileVariables {
  readonly name: string;
  readonly variablesJson: string;
  /** The limit the refusal must name. */
  readonly limit: RegExp;
}

const deepArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const manyKeys = (count: number) =>
  `{${Array.from({ length: count }, (_, i) => `"k${i}":0`).join(',')}}`;
const manyElements = (count: number) => `[${'0,'.repeat(count - 1)}0]`;

/** Shapes of `variables` that no AppSync-sized request comes near. */
export const HOSTILE_VARIABLES: readonly HostileVariables[] = [
  {
    name: 'arrays nested 100,000 levels',
    variablesJson: `{"p":${deepArrays(100_000)}}`,
    limit: /nesting depth/,
  },
  {
    name: 'objects nested 100,000 levels',
    variablesJson: `{"p":${deepObjects(100_000)}}`,
    limit: /nesting depth/,
  },
  {
    name: 'objects nested 65 levels',
    variablesJson: `{"p":${deepObjects(64)}}`,
    limit: /nesting depth/,
  },
  {
    name: 'a 1,000,000-element array',
    variablesJson: `{"p":${manyElements(1_000_000)}}`,
    limit: /number of values/,
  },
  { name: '200,000 keys', variablesJson: `{"p":${manyKeys(200_000)}}`, limit: /number of values/ },
  {
    name: '200,000 top-level variables',
    variablesJson: manyKeys(200_000),
    limit: /number of values/,
  },
  {
    name: 'a 2 MiB string',
    variablesJson: `{"p":"${'x'.repeat(2 * 1024 * 1024)}"}`,
    limit: /string length/,
  },
  {
    name: 'a 2 MiB key',
    variablesJson: `{"${'k'.repeat(2 * 1024 * 1024)}":1}`,
    limit: /string length/,
  },
];

/** A hostile query document and the limit its refusal must name. */
export interface HostileDocument {
  readonly name: string;
  readonly query: string;
  readonly limit: RegExp;
}

const deepSelections = (depth: number) => `{${' a {'.repeat(depth)} b${' }'.repeat(depth)} }`;

/** Documents whose nesting overflowed graphql-js's recursive parser. */
export const HOSTILE_DOCUMENTS: readonly HostileDocument[] = [
  {
    name: 'selections nested 2,000 levels',
    query: deepSelections(2000),
    limit: /nesting depth of the query/,
  },
  {
    name: 'a list value nested 3,000 levels',
    query: `{ schedule(id: ${deepArrays(3000)}) { id } }`,
    limit: /nesting depth of the query/,
  },
  {
    name: 'an object value nested 1,500 levels',
    query: `{ schedule(id: ${'{a:'.repeat(1500)}1${'}'.repeat(1500)}) { id } }`,
    limit: /nesting depth of the query/,
  },
];

/** A malformed AppSync real-time frame (raw text) and what the error frame must carry. */
export interface HostileFrame {
  readonly name: string;
  readonly text: string;
  /** The id the error frame must echo; undefined when none can be echoed. */
  readonly echoId?: string | number;
  readonly errorType: string;
}

const start = (id: unknown) =>
  JSON.stringify({
    type: 'start',
    id,
    payload: { data: '{"query":"subscription { onScheduleFired { id } }"}' },
  });

/** Frames that are not what the protocol allows; each must get an `error` frame, never a crash. */
export const HOSTILE_REALTIME_FRAMES: readonly HostileFrame[] = [
  { name: 'null', text: 'null', errorType: 'MessageParseError' },
  { name: 'a number', text: '42', errorType: 'MessageParseError' },
  { name: 'a string', text: '"start"', errorType: 'MessageParseError' },
  { name: 'an array', text: '[{"type":"start","id":"x"}]', errorType: 'MessageParseError' },
  { name: 'not JSON', text: '{"type":', errorType: 'MessageParseError' },
  { name: 'deeply nested JSON', text: deepArrays(100_000), errorType: 'MessageParseError' },
  { name: 'no type', text: '{"id":"t0"}', echoId: 't0', errorType: 'UnsupportedOperation' },
  {
    name: 'a numeric type',
    text: '{"type":7,"id":"t1"}',
    echoId: 't1',
    errorType: 'UnsupportedOperation',
  },
  {
    name: 'an object type',
    text: '{"type":{"a":1},"id":"t2"}',
    echoId: 't2',
    errorType: 'UnsupportedOperation',
  },
  {
    name: 'start with a numeric id',
    text: start(42),
    echoId: 42,
    errorType: 'BadRequestException',
  },
  { name: 'start with an object id', text: start({ a: 1 }), errorType: 'BadRequestException' },
  { name: 'start with no id', text: start(undefined), errorType: 'BadRequestException' },
  { name: 'start with an empty id', text: start(''), echoId: '', errorType: 'BadRequestException' },
  {
    name: 'start with a 10,000-character id',
    text: start('i'.repeat(10_000)),
    errorType: 'BadRequestException',
  },
  {
    name: 'start with a null payload',
    text: '{"type":"start","id":"s1","payload":null}',
    echoId: 's1',
    errorType: 'BadRequestException',
  },
  {
    name: 'start with numeric data',
    text: '{"type":"start","id":"s2","payload":{"data":5}}',
    echoId: 's2',
    errorType: 'BadRequestException',
  },
  {
    name: 'start with data "null"',
    text: '{"type":"start","id":"s3","payload":{"data":"null"}}',
    echoId: 's3',
    errorType: 'BadRequestException',
  },
  {
    name: 'start with data "[]"',
    text: '{"type":"start","id":"s4","payload":{"data":"[]"}}',
    echoId: 's4',
    errorType: 'BadRequestException',
  },
  {
    name: 'start with non-JSON data',
    text: '{"type":"start","id":"s5","payload":{"data":"{q"}}',
    echoId: 's5',
    errorType: 'BadRequestException',
  },
  {
    name: 'start with a numeric query',
    text: '{"type":"start","id":"s6","payload":{"data":"{\\"query\\":1}"}}',
    echoId: 's6',
    errorType: 'BadRequestException',
  },
  {
    name: 'stop with an object id',
    text: '{"type":"stop","id":{"a":1}}',
    errorType: 'BadRequestException',
  },
];

/** Texts that are internal and must never reach a client. */
export const INTERNAL_TEXTS =
  /Maximum call stack|Cannot read propert|is not a function|undefined is not|RangeError|TypeError/;
