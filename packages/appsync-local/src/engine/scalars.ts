/*
 * AppSync's scalars with AppSync's parsing rules: date-times need an offset, AWSJSON inputs are
 * JSON strings handed to resolvers parsed, and outputs are serialized back to JSON text.
 *
 * Where AppSync's own limits are undocumented the model is strict (unverified against AWS):
 * - offsets within ±18:00 with minutes and seconds 00-59 (java.time's ZoneOffset range; AppSync
 *   documents only the `±hh:mm:ss` form), fractions of 1 to 9 digits (java.time's nanoseconds);
 * - an AWSJSON number literal must keep its value through a parse into a double and back to
 *   text (`1e400`, `12345678901234567890`, `0.1000000000000000000001`, `-0` do not). How AppSync
 *   itself reads such numbers is not documented; the resolvers refuse the forms they can see.
 */
import { isIP } from 'node:net';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';

const DATE = '(\\d{4})-(\\d{2})-(\\d{2})';
const TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,9})?)?';
const OFFSET = '(Z|[+-]\\d{2}:\\d{2}(?::\\d{2})?)';
/** Largest offset java.time accepts, in seconds (±18:00). */
const MAX_OFFSET_SECONDS = 18 * 3600;
const DATE_TIME_PATTERN = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);
const DATE_PATTERN = new RegExp(`^${DATE}${OFFSET}?$`);
const TIME_PATTERN = new RegExp(`^${TIME}${OFFSET}?$`);
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE_PATTERN = /^\+?[0-9][0-9 ().-]{2,}$/;

function isRealDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth;
}

function isRealTime(hours = '0', minutes = '0', seconds = '0'): boolean {
  return Number(hours) <= 23 && Number(minutes) <= 59 && Number(seconds) <= 59;
}

function isRealOffset(zone: string | undefined): boolean {
  if (zone === undefined || zone === 'Z') return true;
  const [hours = 0, minutes = 0, seconds = 0] = zone.slice(1).split(':').map(Number);
  return (
    minutes <= 59 && seconds <= 59 && hours * 3600 + minutes * 60 + seconds <= MAX_OFFSET_SECONDS
  );
}

function isDateTime(text: string): boolean {
  const match = DATE_TIME_PATTERN.exec(text);
  return (
    match !== null &&
    isRealDate(match[1]!, match[2]!, match[3]!) &&
    isRealTime(match[4], match[5], match[6]) &&
    isRealOffset(match[7])
  );
}

function isDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  return match !== null && isRealDate(match[1]!, match[2]!, match[3]!) && isRealOffset(match[4]);
}

function isTime(text: string): boolean {
  const match = TIME_PATTERN.exec(text);
  return match !== null && isRealTime(match[1], match[2], match[3]) && isRealOffset(match[4]);
}

function isUrl(text: string): boolean {
  return URL.canParse(text) && /^[a-z][a-z0-9+.-]*:/i.test(text);
}

function isIpAddress(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (version === 4 ? 32 : 128);
}

function stringScalar(name: string, description: string, isValid: (text: string) => boolean) {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !isValid(value)) {
      throw new GraphQLError(
        `Invalid ${name} value; expected ${description}, received ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    serialize: check,
    parseValue: check,
    parseLiteral: (node: ValueNode) =>
      check(node.kind === Kind.STRING ? node.value : `<${node.kind}>`),
  });
}

/** A number literal whose value a parse into a double and back to text would change. */
interface InexactNumber {
  readonly literal: string;
  /** JSONPath of the literal, e.g. `$.items[2].n`. */
  readonly path: string;
  /** What the literal would be written as after the round trip (`null` for non-finite). */
  readonly becomes: string;
}

const NUMBER_CHARS = '0123456789.eE+-';

type Frame = { kind: 'array'; index: number } | { kind: 'object'; key: string; expectKey: boolean };

/** `text` without its leading (or trailing) zeros; a loop, as a regex would backtrack on long runs. */
function trimZeros(text: string, from: 'start' | 'end'): string {
  let start = 0;
  let end = text.length;
  while (from === 'start' && start < end && text[start] === '0') start += 1;
  while (from === 'end' && end > start && text[end - 1] === '0') end -= 1;
  return text.slice(start, end);
}

/** The literal's exact decimal value as `<sign><digits>e<exponent>`, trailing zeros folded in. */
function decimalKey(literal: string): string {
  const negative = literal.startsWith('-');
  const body = negative ? literal.slice(1) : literal;
  const [mantissa = '', exponentText = '0'] = body.toLowerCase().split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  const significant = trimZeros(`${whole}${fraction}`, 'start');
  const digits = trimZeros(significant, 'end');
  if (digits === '') return negative ? '-0' : '0';
  const exponentDigits = trimZeros(exponentText.replace('+', '').replace('-', ''), 'start');
  // No double reaches 10^±400, so a longer exponent can only mean 0 or Infinity after parsing.
  if (exponentDigits.length > 15) return `${literal} (out of range)`;
  const exponent =
    (exponentText.startsWith('-') ? -1 : 1) * Number(exponentDigits || '0') -
    fraction.length +
    (significant.length - digits.length);
  return `${negative ? '-' : ''}${digits}e${exponent}`;
}

function pathOf(stack: readonly Frame[]): string {
  let path = '$';
  for (const frame of stack) {
    if (frame.kind === 'array') path += `[${frame.index}]`;
    else
      path += /^[A-Za-z_$][\w$]*$/.test(frame.key)
        ? `.${frame.key}`
        : `[${JSON.stringify(frame.key)}]`;
  }
  return path;
}

/** Index just past the string literal that opens at `start` (the text is valid JSON). */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
  return at + 1;
}

/**
 * The first number literal in valid JSON `text` that would not survive a parse into a double
 * and back to JSON text with its value; a scan with an explicit stack, so any nesting is safe.
 */
export function findInexactNumber(text: string): InexactNumber | null {
  const stack: Frame[] = [];
  let at = 0;
  while (at < text.length) {
    const ch = text[at]!;
    const top = stack[stack.length - 1];
    if (ch === '"') {
      const end = stringEnd(text, at);
      if (top?.kind === 'object' && top.expectKey)
        top.key = JSON.parse(text.slice(at, end)) as string;
      at = end;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let end = at + 1;
      while (end < text.length && NUMBER_CHARS.includes(text[end]!)) end += 1;
      const literal = text.slice(at, end);
      const becomes = JSON.stringify(Number(literal));
      const same = becomes === literal || decimalKey(literal) === decimalKey(becomes);
      if (becomes === 'null' || !same) {
        const shown = literal.length > 60 ? `${literal.slice(0, 60)}...` : literal;
        return { literal: shown, path: pathOf(stack), becomes };
      }
      at = end;
    } else {
      if (ch === '{') stack.push({ kind: 'object', key: '', expectKey: true });
      else if (ch === '[') stack.push({ kind: 'array', index: 0 });
      else if (ch === '}' || ch === ']') stack.pop();
      else if (ch === ':' && top?.kind === 'object') top.expectKey = false;
      else if (ch === ',' && top?.kind === 'object') top.expectKey = true;
      else if (ch === ',' && top?.kind === 'array') top.index += 1;
      at += 1;
    }
  }
  return null;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') {
    throw new GraphQLError(
      `Invalid AWSJSON value; expected a JSON string, received ${JSON.stringify(value)}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value) as unknown;
  } catch (error) {
    throw new GraphQLError(
      `Invalid AWSJSON value: ${(error as Error).message}; received ${JSON.stringify(value)}`,
    );
  }
  const inexact = findInexactNumber(value);
  if (inexact !== null) {
    throw new GraphQLError(
      `Invalid AWSJSON value: the number ${inexact.literal} at ${inexact.path} would arrive as ${inexact.becomes}; send it as a string`,
    );
  }
  return parsed;
}

const awsJson = new GraphQLScalarType({
  name: 'AWSJSON',
  serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
  parseValue: parseJson,
  parseLiteral: (node) => parseJson(node.kind === Kind.STRING ? node.value : `<${node.kind}>`),
});

function checkTimestamp(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GraphQLError(
      `Invalid AWSTimestamp value; expected whole epoch seconds, received ${JSON.stringify(value)}`,
    );
  }
  return value;
}

const awsTimestamp = new GraphQLScalarType({
  name: 'AWSTimestamp',
  serialize: checkTimestamp,
  parseValue: checkTimestamp,
  parseLiteral: (node) =>
    checkTimestamp(node.kind === Kind.INT ? Number(node.value) : `<${node.kind}>`),
});

/** The AWS scalars, ready to replace the placeholder declarations in the schema. */
export const AWS_SCALARS: readonly GraphQLScalarType[] = [
  stringScalar(
    'AWSDateTime',
    'ISO-8601 date-time with an offset, e.g. 2027-03-20T09:46:47.123Z',
    isDateTime,
  ),
  stringScalar('AWSDate', 'ISO-8601 date, e.g. 2027-03-20', isDate),
  stringScalar('AWSTime', 'ISO-8601 time, e.g. 09:46:47.123Z', isTime),
  stringScalar('AWSEmail', 'an e-mail address, e.g. someone@example.com', (text) =>
    EMAIL_PATTERN.test(text),
  ),
  stringScalar('AWSURL', 'a URL with a scheme, e.g. https://example.com', isUrl),
  stringScalar('AWSPhone', 'a phone number, e.g. +1 206 555 0100', (text) =>
    PHONE_PATTERN.test(text),
  ),
  stringScalar('AWSIPAddress', 'an IPv4 or IPv6 address, optionally with a /prefix', isIpAddress),
  awsJson,
  awsTimestamp,
];

/** Gives the schema's AWS scalar declarations AppSync's parse and serialize behaviour. */
export function installAwsScalars(schema: GraphQLSchema): void {
  for (const scalar of AWS_SCALARS) {
    const declared = schema.getType(scalar.name);
    if (declared instanceof GraphQLScalarType) {
      // graphql-js has no schema mapping API; the declared scalar is updated in place.
      Object.assign(declared, {
        serialize: scalar.serialize,
        parseValue: scalar.parseValue,
        parseLiteral: scalar.parseLiteral,
      });
    }
  }
}
