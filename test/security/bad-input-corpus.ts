/*
 * A generated corpus of invalid and hostile GraphQL requests: every entry is one HTTP body plus,
 * for createSchedule with an absolute due time, the instant a correct server must store.
 */
import { seededRandom } from '../../src/local/faults/fault-proxy.js';
import { CREATE_SCHEDULE } from '../helpers/reliability-stack.js';

/** One hostile request. */
export interface CorpusEntry {
  readonly kind: string;
  /** The raw HTTP body. */
  readonly body: string;
  /** For a create with `dueAt`: the instant it denotes, or null when it is no valid instant. */
  readonly expectedDueAtMs?: number | null;
  /** For a create whose payload is judged: the JSON text to store, or null when it must be refused. */
  readonly expectedPayload?: string | null;
  /** For a request that must be refused: texts its error message must hold (field and value). */
  readonly mustName?: readonly string[];
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:\d{2}(?::\d{2})?)$/;

/**
 * The instant a strict RFC 3339 reading gives (plus AppSync's offset seconds, within java.time's
 * ±18:00), or null for anything that is not one.
 */
export function strictInstant(text: string): number | null {
  const match = ISO.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match.map((part) => part ?? '');
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as number[];
  const utc = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const back = new Date(utc);
  if (
    back.getUTCMonth() !== month! - 1 ||
    back.getUTCDate() !== day! ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59
  ) {
    return null;
  }
  const ms = fraction === '' ? 0 : Math.round(Number(`0${fraction}`) * 1000);
  if (zone === 'Z') return utc + ms;
  const sign = zone!.startsWith('-') ? -1 : 1;
  const [zh = 0, zm = 0, zs = 0] = zone!.slice(1).split(':').map(Number);
  const offsetSeconds = zh * 3600 + zm * 60 + zs;
  if (zm > 59 || zs > 59 || offsetSeconds > 18 * 3600) return null;
  return utc + ms - sign * offsetSeconds * 1000;
}

/** An offset in any of AWSDateTime's forms, sometimes with a field out of range. */
function randomOffset(random: Random): string {
  const hours = Math.floor(random() * (random() < 0.8 ? 19 : 100));
  const minutes = Math.floor(random() * (random() < 0.8 ? 60 : 100));
  const seconds =
    random() < 0.5 ? `:${pad(Math.floor(random() * (random() < 0.8 ? 60 : 100)))}` : '';
  return `${random() < 0.5 ? '+' : '-'}${pad(hours)}:${pad(minutes)}${seconds}`;
}

function randomDateText(random: Random, nowMs: number): string {
  const near = new Date(nowMs + Math.floor((random() - 0.3) * 4 * 86_400_000));
  const year = pick(random, [
    near.getUTCFullYear(),
    1969,
    1970,
    2000,
    2038,
    9999,
    10_000,
    0,
    275_760,
  ]);
  const month = pick(random, [near.getUTCMonth() + 1, 0, 2, 13, 99]);
  const day = pick(random, [near.getUTCDate(), 0, 29, 30, 31, 32]);
  const hour = pick(random, [near.getUTCHours(), 23, 24, 25]);
  const minute = pick(random, [near.getUTCMinutes(), 59, 60]);
  const second = pick(random, [near.getUTCSeconds(), 59, 60]);
  const fraction = pick(random, ['', '.1', '.123', '.1234567', '.', ',5']);
  const zone = pick(random, [
    'Z',
    'z',
    '',
    '+00:00',
    '-00:00',
    '+05:30',
    '-12:00',
    '+14:00',
    '+18:00',
    '+25:00',
    '+0530',
    '+05',
    '+01:00:30',
    '-05:30:15',
    '+18:00:01',
    '+24:00',
    '+99:99',
    '+05:60',
    '-40:15',
    '+05:30:60',
    randomOffset(random),
    ' UTC',
    '[Europe/Paris]',
  ]);
  const sep = pick(random, ['T', 'T', 'T', ' ', 't']);
  const y = year > 9999 ? `+${pad(year, 6)}` : pad(year, 4);
  return `${y}-${pad(month)}-${pad(day)}${sep}${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${zone}`;
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  'tomorrow',
  'now',
  'null',
  '0',
  '-1',
  '1e309',
  "' OR '1'='1",
  '"; DROP TABLE schedules; --',
  '../../etc/passwd',
  'j#2030-01-01T00:00#0',
  '#',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u2066evil',
  '\ufeff\u200b\u200d',
  '👩‍👩‍👧‍👦'.repeat(50),
  'e\u0301'.repeat(100),
  '𝕏'.repeat(300),
  'a'.repeat(10_000),
  'A'.repeat(300_000),
];

function createBody(input: unknown): string {
  return JSON.stringify({ query: CREATE_SCHEDULE, variables: { input } });
}

function datesEntry(random: Random, nowMs: number): CorpusEntry {
  const dueAt = random() < 0.85 ? randomDateText(random, nowMs) : pick(random, HOSTILE_STRINGS);
  return {
    kind: 'dueAt',
    body: createBody({ dueAt, payload: '{"n":1}' }),
    expectedDueAtMs: strictInstant(dueAt),
  };
}

function delayEntry(random: Random): CorpusEntry {
  const delaySeconds = pick(random, [
    -1,
    -2_147_483_648,
    2_147_483_647,
    2_147_483_648,
    1e21,
    1.5,
    Number.NaN,
    '10',
    true,
    null,
    [],
    {},
    315_360_001,
    0,
  ]);
  const both = random() < 0.2 ? { dueAt: new Date(nowPlus(60_000)).toISOString() } : {};
  return { kind: 'delaySeconds', body: createBody({ delaySeconds, payload: '{}', ...both }) };
}

function nowPlus(ms: number): number {
  return Date.now() + ms;
}

function nestedJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** Code points at every boundary of what SQS takes raw, and astral ones; all are valid Unicode. */
const SCALAR_VALUES = [
  0x0, 0x1, 0x8, 0x9, 0xa, 0xb, 0xd, 0x1f, 0x20, 0x7f, 0xd7ff, 0xe000, 0xfffd, 0xfffe, 0xffff,
  0x10000, 0x1f600, 0x1d54f, 0x10ffff,
];
const LONE_SURROGATES = [0xd800, 0xdbff, 0xdc00, 0xdfff, 0xdabc, 0xdd00];

/** `\uXXXX` escapes of one UTF-16 code unit, so a JSON text can hold a lone surrogate. */
const escapeUnit = (unit: number) => `\\u${unit.toString(16).padStart(4, '0')}`;

function escapeCodePoint(code: number): string {
  if (code < 0x10000) return escapeUnit(code);
  const v = code - 0x10000;
  return escapeUnit(0xd800 + (v >> 10)) + escapeUnit(0xdc00 + (v & 0x3ff));
}

/** A payload with characters from every class, in a key or a value; refused iff it has a lone surrogate. */
function charactersEntry(random: Random): CorpusEntry {
  const lone = random() < 0.4;
  const units = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
    escapeCodePoint(pick(random, SCALAR_VALUES)),
  );
  if (lone) {
    units.splice(
      Math.floor(random() * (units.length + 1)),
      0,
      escapeUnit(pick(random, LONE_SURROGATES)),
    );
  }
  const text = `a${units.join('')}z`;
  const payload =
    random() < 0.5 ? `{"k":["x",{"s":"${text}"}]}` : `{"n":1,"nested":{"${text}":true}}`;
  return {
    kind: 'payload-characters',
    body: createBody({ delaySeconds: 30 + Math.floor(random() * 300), payload }),
    expectedPayload: lone ? null : JSON.stringify(JSON.parse(payload)),
  };
}

/** A number literal and what must be stored for it (null: it cannot be kept, so it is refused). */
function numberForm(random: Random): [string, string | null] {
  const d = (random() - 0.5) * 10 ** Math.floor(random() * 30 - 15);
  const safe = Math.floor((random() - 0.5) * 2 * Number.MAX_SAFE_INTEGER);
  const unsafe = BigInt(Number.MAX_SAFE_INTEGER) + BigInt(1 + Math.floor(random() * 1e6));
  const forms: [string, string | null][] = [
    [String(d), String(d)],
    [d.toExponential().toUpperCase(), String(d)],
    [String(safe), String(safe)],
    ['1E2', '100'],
    ['1.50', '1.5'],
    ['2.5e-3', '0.0025'],
    ['5e-324', '5e-324'],
    [`${unsafe}`, null],
    [`-${unsafe}`, null],
    ['1e16', null],
    ['1.5e20', null],
    ['1e400', null],
    ['-1e400', null],
    ['1e-400', null],
    [`1${'0'.repeat(16 + Math.floor(random() * 400))}`, null],
    ['-0', null],
    ['-0.0', null],
    ['-0e3', null],
    [`${String(Math.abs(d)).includes('e') ? '0.1' : String(Math.abs(d))}${'0'.repeat(20)}1`, null],
    ['0.1000000000000000000001', null],
    ['12345678901234567890', null],
  ];
  return pick(random, forms);
}

function numbersEntry(random: Random): CorpusEntry {
  const [literal, stored] = numberForm(random);
  const shape = pick(random, ['{"n":#}', '[1,[#]]', '#', '{"a":{"b c":[#,2]}}']);
  const payload = shape.replace('#', literal);
  return {
    kind: 'payload-numbers',
    body: createBody({ delaySeconds: 30 + Math.floor(random() * 300), payload }),
    expectedPayload:
      stored === null ? null : JSON.stringify(JSON.parse(shape.replace('#', stored))),
  };
}

function payloadEntry(random: Random): CorpusEntry {
  const payload = pick(random, [
    '{',
    'undefined',
    "{'a':1}",
    'NaN',
    '{"a":1}}',
    JSON.stringify({ big: 'x'.repeat(70_000) }),
    JSON.stringify({ big: '€'.repeat(22_000) }),
    nestedJson(5_000),
    nestedJson(100_000),
    JSON.stringify({ s: pick(random, HOSTILE_STRINGS) }),
    { object: 'not a string' },
    12,
    null,
    '',
  ]);
  const extra = random() < 0.3 ? { clientToken: pick(random, HOSTILE_STRINGS) } : {};
  return {
    kind: 'payload',
    body: createBody({ delaySeconds: 30 + Math.floor(random() * 300), payload, ...extra }),
  };
}

const ID_QUERIES = [
  'query Q($id: ID!) { schedule(id: $id) { id status } }',
  'mutation M($id: ID!) { cancelSchedule(id: $id) { id status } }',
];

function idEntry(random: Random): CorpusEntry {
  const id = pick(random, [
    ...HOSTILE_STRINGS,
    '1795439747817-3-01M848RQR1FYM0NV9TKCAFCCSQ',
    '9999999999999-0-01M848RQR1FYM0NV9TKCAFCCSQ',
    '1795439747817-999-01M848RQR1FYM0NV9TKCAFCCSQ',
    '-1-1-1',
    12345,
    null,
  ]);
  return {
    kind: 'id',
    body: JSON.stringify({ query: pick(random, ID_QUERIES), variables: { id } }),
  };
}

function pageEntry(random: Random, nowMs: number): CorpusEntry {
  const variables = {
    from: random() < 0.5 ? randomDateText(random, nowMs) : undefined,
    to:
      random() < 0.5
        ? pick(random, ['1970-01-01T00:00:00Z', randomDateText(random, nowMs)])
        : undefined,
    limit: pick(random, [undefined, -1, 0, 1, 1001, 2_147_483_647, 1.5, '5']),
    nextToken: pick(random, [
      undefined,
      ...HOSTILE_STRINGS,
      Buffer.from('{"pk":{"S":"j#x"},"sk":{"S":"y"}}').toString('base64'),
      'eyJhbGciOiJub25lIn0.eyJvd25lciI6ImJvYiJ9.',
    ]),
  };
  const query = `query P($from: AWSDateTime, $to: AWSDateTime, $limit: Int, $nextToken: String) {
    pendingSchedules(from: $from, to: $to, limit: $limit, nextToken: $nextToken) { items { id } nextToken } }`;
  return { kind: 'page', body: JSON.stringify({ query, variables }) };
}

function documentEntry(random: Random): CorpusEntry {
  const n = 1 + Math.floor(random() * 4000);
  const query = pick(random, [
    `${'{ schedule(id: "x") { id '.repeat(1)}${'}'.repeat(2)}`,
    `{ ${'a'.repeat(n)} }`,
    `${'{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name '}${'}'.repeat(15)}`,
    `{ ${Array.from({ length: 25 + (n % 500) }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    `{ ${'__typename '.repeat(n)} }`,
    `{ schedule(id: "${'x'.repeat(n * 20)}") { id } }`,
    'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
    'subscription { onScheduleFired { id } }',
    'mutation { publishScheduleFired(input: {id: "x", owner: "y", dueAt: "2030-01-01T00:00:00Z", firedAt: "2030-01-01T00:00:00Z", latenessMs: 0, payload: "{}"}) { id } }',
    '{ schedule(id: "x") { nope } }',
    '{ schedule { id } }',
    '{ broken',
    '',
    '#only a comment',
    'query A { __typename } query B { __typename }',
    '{ __typename @skip(if: "yes") }',
  ]);
  const body = pick(random, [
    JSON.stringify({ query }),
    JSON.stringify({ query, operationName: 'Missing' }),
    JSON.stringify({ query, variables: 'not an object' }),
  ]);
  return { kind: 'document', body };
}

function envelopeEntry(random: Random): CorpusEntry {
  const body = pick(random, [
    '',
    'not json',
    '{',
    'null',
    '[]',
    '42',
    '"query"',
    '{"query": 42}',
    '{"query": null}',
    '{"variables": {}}',
    '[{"query":"{ __typename }"}]',
    `{"query": "{ __typename }", "extra": "${'z'.repeat(1000)}"}`,
    '\ud800',
  ]);
  // A few bodies over the endpoint's 5 MiB cap; rare, as each costs real transfer time.
  const oversized = random() < 0.01;
  return {
    kind: 'envelope',
    body: oversized ? `{"query":"${' '.repeat(6 * 1024 * 1024)}"}` : body,
  };
}

const SCHEDULE_FIELDS = 'id status';
const RESCHEDULE = `mutation R($id: ID, $key: String, $dueAt: AWSDateTime, $delaySeconds: Int) {
  rescheduleSchedule(id: $id, key: $key, dueAt: $dueAt, delaySeconds: $delaySeconds) { ${SCHEDULE_FIELDS} } }`;
const HISTORY = `query H($filter: ScheduleFilter, $limit: Int, $order: SortOrder) {
  schedules(filter: $filter, limit: $limit, order: $order) { items { id } nextToken } }`;
const CREATE_MANY = `mutation M($inputs: [CreateScheduleInput!]!) {
  createSchedules(inputs: $inputs) { schedule { id } error { errorType message } } }`;
const CANCEL_MANY = `mutation N($ids: [ID!]!) {
  cancelSchedules(ids: $ids) { id schedule { id } error { errorType message } } }`;
const SOME_ID = '1795439747817-3-01M848RQR1FYM0NV9TKCAFCCSQ';

function refusal(query: string, variables: object, mustName: readonly string[]): CorpusEntry {
  return { kind: 'issue-16-17', body: JSON.stringify({ query, variables }), mustName };
}

/**
 * Inputs of keys, labels, channels, reschedule, history and bulk calls (issues 16 and 17) that
 * must each be refused with an error naming the field and the value received.
 */
export function keysLabelsBulkEntries(): CorpusEntry[] {
  const create = (extra: object, mustName: readonly string[]) =>
    refusal(CREATE_SCHEDULE, { input: { delaySeconds: 600, payload: '{}', ...extra } }, mustName);
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ delaySeconds: 600, payload: `{"i":${i}}` }));
  const ids = (n: number) => Array.from({ length: n }, () => SOME_ID);
  const labels11 = Array.from({ length: 11 }, (_, i) => `l${i}`);
  return [
    create({ key: 'k'.repeat(129) }, ['key', '129']),
    create({ key: 'bad key!' }, ['key', 'bad key!']),
    create({ key: '' }, ['key', '0']),
    create({ onConflict: 'REPLACE' }, ['onConflict', 'REPLACE']),
    create({ labels: labels11 }, ['labels', '11']),
    create({ labels: ['l'.repeat(65)] }, ['labels[0]', '65']),
    create({ labels: ['x', 'x'] }, ['labels[1]', 'x']),
    create({ labels: ['a b'] }, ['labels[0]', 'a b']),
    create({ deliver: [] }, ['deliver', '[]']),
    create({ deliver: ['QUEUE', 'QUEUE'] }, ['deliver[1]', 'QUEUE']),
    refusal(RESCHEDULE, { delaySeconds: 60 }, ['id', 'key', 'neither']),
    refusal(RESCHEDULE, { id: SOME_ID, key: 'k', delaySeconds: 60 }, ['id', 'key', 'both']),
    refusal(RESCHEDULE, { key: 'k' }, ['dueAt', 'delaySeconds', 'neither']),
    refusal(RESCHEDULE, { key: 'k', dueAt: '2020-01-01T00:00:00.000Z' }, ['dueAt', '2020-01-01']),
    refusal(
      'query Q($id: ID, $key: String) { schedule(id: $id, key: $key) { id } }',
      { id: SOME_ID, key: 'k' },
      ['id', 'key', 'both'],
    ),
    refusal(
      'mutation C($id: ID, $key: String) { cancelSchedule(id: $id, key: $key) { id } }',
      { id: SOME_ID, key: 'k' },
      ['id', 'key', 'both'],
    ),
    refusal(HISTORY, { limit: 0 }, ['limit', '0']),
    refusal(HISTORY, { limit: 101 }, ['limit', '101']),
    refusal(HISTORY, { order: 'SIDEWAYS' }, ['order', 'SIDEWAYS']),
    refusal(HISTORY, { filter: { status: [] } }, ['status', '[]']),
    refusal(
      HISTORY,
      { filter: { from: '2031-01-02T00:00:00.000Z', to: '2031-01-01T00:00:00.000Z' } },
      ['from', 'to', '2031-01-02T00:00:00.000Z', '2031-01-01T00:00:00.000Z'],
    ),
    refusal(HISTORY, { filter: { label: 'a b' } }, ['label', 'a b']),
    refusal(CREATE_MANY, { inputs: [] }, ['inputs', '0']),
    refusal(CREATE_MANY, { inputs: many(26) }, ['inputs', '26']),
    refusal(CANCEL_MANY, { ids: [] }, ['ids', '0']),
    refusal(CANCEL_MANY, { ids: ids(26) }, ['ids', '26']),
  ];
}

/** Generates `size` hostile requests from `seed`; the same seed gives the same corpus. */
export function generateCorpus(size: number, seed: number, nowMs: number): CorpusEntry[] {
  const random = seededRandom(seed);
  const makers = [
    () => datesEntry(random, nowMs),
    () => datesEntry(random, nowMs),
    () => delayEntry(random),
    () => payloadEntry(random),
    () => charactersEntry(random),
    () => numbersEntry(random),
    () => idEntry(random),
    () => pageEntry(random, nowMs),
    () => documentEntry(random),
    () => envelopeEntry(random),
    () => pick(random, keysLabelsBulkEntries()),
  ];
  return Array.from({ length: size }, (_, index) =>
    (makers[index % makers.length] as () => CorpusEntry)(),
  );
}
