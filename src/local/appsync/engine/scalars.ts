/*
 * AppSync's scalars with AppSync's parsing rules: date-times need an offset, AWSJSON inputs are
 * JSON strings handed to resolvers parsed, and outputs are serialized back to JSON text.
 */
import { isIP } from 'node:net';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';

const DATE = '(\\d{4})-(\\d{2})-(\\d{2})';
const TIME = '(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?';
const OFFSET = '(?:Z|[+-]\\d{2}:\\d{2}(?::\\d{2})?)';
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

function isDateTime(text: string): boolean {
  const match = DATE_TIME_PATTERN.exec(text);
  return (
    match !== null &&
    isRealDate(match[1]!, match[2]!, match[3]!) &&
    isRealTime(match[4], match[5], match[6])
  );
}

function isDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  return match !== null && isRealDate(match[1]!, match[2]!, match[3]!);
}

function isTime(text: string): boolean {
  const match = TIME_PATTERN.exec(text);
  return match !== null && isRealTime(match[1], match[2], match[3]);
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

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') {
    throw new GraphQLError(
      `Invalid AWSJSON value; expected a JSON string, received ${JSON.stringify(value)}`,
    );
  }
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new GraphQLError(
      `Invalid AWSJSON value: ${(error as Error).message}; received ${JSON.stringify(value)}`,
    );
  }
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
