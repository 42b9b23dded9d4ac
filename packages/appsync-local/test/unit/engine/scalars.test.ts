import { graphql, buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { installAwsScalars } from '../../../src/engine/scalars.js';

function schemaEchoing() {
  const schema = buildSchema(`
    scalar AWSDateTime scalar AWSDate scalar AWSTime scalar AWSEmail scalar AWSURL
    scalar AWSPhone scalar AWSIPAddress scalar AWSJSON scalar AWSTimestamp
    type Query {
      dateTime(v: AWSDateTime): AWSDateTime
      date(v: AWSDate): AWSDate
      time(v: AWSTime): AWSTime
      email(v: AWSEmail): AWSEmail
      url(v: AWSURL): AWSURL
      phone(v: AWSPhone): AWSPhone
      ip(v: AWSIPAddress): AWSIPAddress
      json(v: AWSJSON): AWSJSON
      jsonType(v: AWSJSON): String
      timestamp(v: AWSTimestamp): AWSTimestamp
    }`);
  installAwsScalars(schema);
  const fields = schema.getQueryType()!.getFields();
  for (const field of Object.values(fields)) {
    // Echoes the argument; AWSJSON without one returns an object, as a resolver might.
    field.resolve = (_source, args: { v?: unknown }) => {
      if (field.name === 'jsonType') return JSON.stringify(args.v);
      if (field.name === 'json' && args.v === undefined) return { nested: { x: 1 } };
      return args.v;
    };
  }
  return schema;
}

const schema = schemaEchoing();

async function echo(field: string, type: string, value: unknown) {
  return graphql({
    schema,
    source: `query($v: ${type}) { ${field}(v: $v) }`,
    variableValues: { v: value },
  });
}

describe('AWS scalars as AppSync parses them', () => {
  it.each([
    ['dateTime', 'AWSDateTime', '2027-03-20T09:46:47.123Z'],
    ['dateTime', 'AWSDateTime', '2027-03-20T09:46:47+01:00'],
    ['dateTime', 'AWSDateTime', '2027-03-20T09:46Z'],
    ['date', 'AWSDate', '2027-02-28'],
    ['time', 'AWSTime', '09:46:47.123'],
    ['email', 'AWSEmail', 'someone@example.com'],
    ['url', 'AWSURL', 'https://example.com/x?y=1'],
    ['phone', 'AWSPhone', '+1 206 555 0100'],
    ['ip', 'AWSIPAddress', '10.0.0.0/8'],
    ['ip', 'AWSIPAddress', '::1'],
    ['timestamp', 'AWSTimestamp', 1805535107],
  ])('accepts a valid %s: %s', async (field, type, value) => {
    // Act
    const result = await echo(field, type, value);

    // Assess
    expect(result).toEqual({ data: { [field]: value } });
  });

  it.each([
    ['dateTime', 'AWSDateTime', '2027-03-20T09:46:47.123', 'Invalid AWSDateTime value'],
    ['dateTime', 'AWSDateTime', '2027-02-30T09:46:47Z', 'Invalid AWSDateTime value'],
    ['dateTime', 'AWSDateTime', '2027-03-20T25:00:00Z', 'Invalid AWSDateTime value'],
    ['date', 'AWSDate', '2027-13-01', 'Invalid AWSDate value'],
    ['time', 'AWSTime', '9:46', 'Invalid AWSTime value'],
    ['email', 'AWSEmail', 'nobody', 'Invalid AWSEmail value'],
    ['url', 'AWSURL', 'example.com', 'Invalid AWSURL value'],
    ['phone', 'AWSPhone', 'call me', 'Invalid AWSPhone value'],
    ['ip', 'AWSIPAddress', '300.1.1.1', 'Invalid AWSIPAddress value'],
    ['json', 'AWSJSON', '{"a":', 'Invalid AWSJSON value'],
    ['json', 'AWSJSON', { a: 1 }, 'Invalid AWSJSON value'],
    ['timestamp', 'AWSTimestamp', 1.5, 'Invalid AWSTimestamp value'],
  ])('refuses an invalid %s: %s', async (field, type, value, message) => {
    // Act
    const result = await echo(field, type, value);

    // Assess
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toContain(message);
    expect(result.errors?.[0]?.message).toContain(JSON.stringify(value));
  });

  it('hands AWSJSON inputs to resolvers parsed and serializes outputs to JSON text', async () => {
    // Act
    const parsed = await echo('jsonType', 'AWSJSON', '{"a":[1,2]}');
    const literal = await graphql({ schema, source: '{ json(v: "[true]") }' });
    const object = await graphql({ schema, source: '{ json }' });

    // Assess
    expect(parsed.data).toEqual({ jsonType: '{"a":[1,2]}' });
    expect(literal.data).toEqual({ json: '[true]' });
    expect(object.data).toEqual({ json: '{"nested":{"x":1}}' });
  });

  it('refuses a bad literal with a clear message', async () => {
    // Act
    const result = await graphql({ schema, source: '{ dateTime(v: "yesterday") }' });

    // Assess
    expect(result.errors?.[0]?.message).toContain('Invalid AWSDateTime value');
    expect(result.errors?.[0]?.message).toContain('"yesterday"');
  });
});

describe('AWSDateTime offsets as AppSync defines them', () => {
  it.each([
    '2027-03-20T09:46:47+01:00:30',
    '2027-03-20T09:46:47.123456789-18:00',
    '2027-03-20T09:46:47+18:00',
    '2027-03-20T09:46:47-00:00:00',
  ])('accepts %s', async (value) => {
    expect(await echo('dateTime', 'AWSDateTime', value)).toEqual({ data: { dateTime: value } });
  });

  it.each([
    '+24:00',
    '+99:99',
    '+05:60',
    '-40:15',
    '+18:00:01',
    '+05:30:60',
    '+19:00',
    '+0530',
    '+05',
    'z',
  ])('refuses the zone %s', async (zone) => {
    // Act
    const value = `2027-03-20T09:46:47${zone}`;
    const result = await echo('dateTime', 'AWSDateTime', value);

    // Assess
    expect(result.errors?.[0]?.message).toContain('Invalid AWSDateTime value');
    expect(result.errors?.[0]?.message).toContain(JSON.stringify(value));
  });

  it('refuses a fraction longer than nanoseconds, and out-of-range offsets on AWSTime and AWSDate', async () => {
    for (const [field, type, value] of [
      ['dateTime', 'AWSDateTime', '2027-03-20T09:46:47.1234567890Z'],
      ['time', 'AWSTime', '09:46:47+24:00'],
      ['date', 'AWSDate', '2027-03-20-19:00'],
    ] as const) {
      expect((await echo(field, type, value)).errors?.[0]?.message).toContain(`Invalid ${type}`);
    }
  });
});

describe('AWSJSON numbers keep their value or are refused', () => {
  it.each([
    ['{"n":1e400}', '1e400', '$.n', 'null'],
    ['12345678901234567890', '12345678901234567890', '$', '12345678901234567000'],
    ['[0.1000000000000000000001]', '0.1000000000000000000001', '$[0]', '0.1'],
    ['{"a":[1,{"b c":-0}]}', '-0', '$.a[1]["b c"]', '0'],
    ['{"t":1e-400}', '1e-400', '$.t', '0'],
    ['[9007199254740993]', '9007199254740993', '$[0]', '9007199254740992'],
    ['{"s":"1e400","n":3.141592653589793238}', '3.141592653589793238', '$.n', '3.141592653589793'],
  ])('refuses %s naming the literal and its path', async (text, literal, path, becomes) => {
    // Act
    const result = await echo('json', 'AWSJSON', text);

    // Assess
    expect(result.errors?.[0]?.message).toBe(
      `Variable "$v" got invalid value ${JSON.stringify(text)}; Invalid AWSJSON value: the number ${literal} at ${path} would arrive as ${becomes}; send it as a string`,
    );
  });

  it('accepts every literal whose value survives, however it is spelled', async () => {
    // Prepare: generated doubles in their shortest form and in longer equal spellings.
    let state = 77;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const literals = [
      '1E2',
      '1.50',
      '0.1',
      '5e-324',
      '-1.5e-7',
      '1e+300',
      '0e999999999999999999999',
    ];
    for (let n = 0; n < 300; n++) {
      const value = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      literals.push(String(value), `${String(value).replace('e', '0e')}`, value.toExponential());
    }
    const text = `[${literals.filter((l) => Number(l) === Number(l)).join(',')}]`;

    // Act
    const result = await echo('jsonType', 'AWSJSON', text);

    // Assess
    expect(result.errors).toBeUndefined();
  });
});
