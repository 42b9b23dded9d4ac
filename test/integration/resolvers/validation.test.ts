import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleKey } from '../../../src/domain/index.js';
import { CREATE, startEngineHarness, userCaller, type EngineHarness } from './harness.js';

const NOW = Date.parse('2027-03-20T09:46:47.123Z');

describe('every validation error reaches the client as ValidationError (engine, runtime, dynalite)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    // A fixed clock makes the messages exact.
    h = await startEngineHarness({ now: () => NOW });
  });
  afterAll(async () => {
    await h.stop();
  });

  const cases: [string, Record<string, unknown>, string][] = [
    [
      'neither dueAt nor delaySeconds',
      { payload: '{}' },
      'Give exactly one of input.dueAt and input.delaySeconds; received neither',
    ],
    [
      'both dueAt and delaySeconds',
      { payload: '{}', delaySeconds: 5, dueAt: '2027-03-20T10:00:00.000Z' },
      'Give exactly one of input.dueAt and input.delaySeconds; received both',
    ],
    [
      'a negative delay',
      { payload: '{}', delaySeconds: -1 },
      'input.delaySeconds must be a whole number >= 0; received -1',
    ],
    [
      'a due time too far in the past',
      { payload: '{}', dueAt: '2027-03-20T09:46:40.000Z' },
      'input.dueAt is 7123 ms in the past (at most 5000 ms allowed); received 2027-03-20T09:46:40.000Z',
    ],
    [
      'a due time beyond the horizon',
      { payload: '{}', dueAt: '2029-03-20T09:46:47.123Z' },
      'input.dueAt is more than 31536000 seconds ahead; received 2029-03-20T09:46:47.123Z',
    ],
    [
      'a due time finer than milliseconds',
      { payload: '{}', dueAt: '2027-03-20T10:00:00.1234Z' },
      'input.dueAt may have at most millisecond precision; received 2027-03-20T10:00:00.1234Z',
    ],
    [
      'a payload over the byte limit',
      { payload: JSON.stringify({ text: 'é'.repeat(1100) }), delaySeconds: 5 },
      'input.payload must be at most 2048 bytes; received 2211',
    ],
    [
      'a lone high surrogate in a payload value',
      { payload: '{"m":["hi","x\\ud800y"]}', delaySeconds: 5 },
      'input.payload.m[1] holds a lone surrogate U+D800 at index 1, which no Unicode text can carry; payloads must be valid Unicode',
    ],
    [
      'a lone low surrogate in a payload key',
      { payload: '{"a":{"\\udc00k":1}}', delaySeconds: 5 },
      'A key in input.payload.a holds a lone surrogate U+DC00 at index 0, which no Unicode text can carry; payloads must be valid Unicode',
    ],
    [
      'an integer a double holds exactly but not with its neighbours',
      { payload: '{"n":[9007199254740992]}', delaySeconds: 5 },
      'input.payload.n[0] is 9007199254740992 once parsed, beyond +-9007199254740991 (2^53 - 1) where numbers lose digits; send it as a string',
    ],
    [
      'a large number written with an exponent',
      { payload: '{"n":1e300}', delaySeconds: 5 },
      'input.payload.n is 1e+300 once parsed, beyond +-9007199254740991 (2^53 - 1) where numbers lose digits; send it as a string',
    ],
    [
      'an empty clientToken',
      { payload: '{}', delaySeconds: 5, clientToken: '' },
      'input.clientToken must be 1 to 64 characters; received 0',
    ],
    [
      'a clientToken with a space',
      { payload: '{}', delaySeconds: 5, clientToken: 'a b' },
      'input.clientToken may hold only letters, digits and "-_.:"; received " "',
    ],
  ];

  it.each(cases)('%s', async (_name, input, message) => {
    // Act
    const result = await h.run(userCaller('val'), CREATE, { input });

    // Assess
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({
        errorType: 'ValidationError',
        message,
        path: ['createSchedule'],
        data: null,
        errorInfo: null,
      }),
    ]);
  });

  it('a due time in another offset is normalised to UTC', async () => {
    // Act
    const result = await h.run(userCaller('val'), CREATE, {
      input: { payload: '{}', dueAt: '2027-03-20T11:00:00.5+01:00' },
    });

    // Assess
    expect(result.data?.['createSchedule'].dueAt).toBe('2027-03-20T10:00:00.500Z');
  });

  it('an offset with seconds is accepted and normalised to UTC', async () => {
    // Act
    const result = await h.run(userCaller('val'), CREATE, {
      input: { payload: '{}', dueAt: '2027-03-20T11:00:30.5+01:00:30' },
    });

    // Assess
    expect(result.errors).toBeUndefined();
    expect(result.data?.['createSchedule'].dueAt).toBe('2027-03-20T10:00:00.500Z');
  });

  it.each(['+24:00', '+99:99', '+05:60', '-40:15', '+18:00:01', '+0530'])(
    'an offset %s is refused as a ValidationError naming field and value',
    async (zone) => {
      // Act
      const dueAt = `2027-03-20T11:00:00${zone}`;
      const result = await h.run(userCaller('val'), CREATE, { input: { payload: '{}', dueAt } });

      // Assess
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.errorType).toBe('ValidationError');
      expect(result.errors?.[0]?.message).toContain('Invalid AWSDateTime value');
      expect(result.errors?.[0]?.message).toContain('input.dueAt');
      expect(result.errors?.[0]?.message).toContain(dueAt);
    },
  );

  it.each([
    ['{"n":1e400}', '1e400 at $.n would arrive as null'],
    ['12345678901234567890', '12345678901234567890 at $ would arrive as 12345678901234567000'],
    ['{"p":0.1000000000000000000001}', '0.1000000000000000000001 at $.p would arrive as 0.1'],
    ['{"z":-0}', '-0 at $.z would arrive as 0'],
  ])('a payload number %s that would change is refused, naming its path', async (payload, says) => {
    // Act
    const result = await h.run(userCaller('val'), CREATE, { input: { payload, delaySeconds: 5 } });

    // Assess
    expect(result.errors?.[0]?.errorType).toBe('ValidationError');
    expect(result.errors?.[0]?.message).toContain('input.payload');
    expect(result.errors?.[0]?.message).toContain(`the number ${says}`);
  });

  it('stores emoji, U+FFFE, C0 controls and astral characters exactly', async () => {
    // Prepare
    const payload = JSON.stringify({
      m: 'hi 😀\ufffe\uffff\u0000\u0001\u001f\t𝕏\u{10ffff}',
      ['k😀\u0002']: [1.5, -7],
    });

    // Act
    const result = await h.run(userCaller('val'), CREATE, { input: { payload, delaySeconds: 5 } });

    // Assess
    expect(result.errors).toBeUndefined();
    const created = result.data?.['createSchedule'] as { id: string; payload: string };
    expect(created.payload).toBe(payload);
    const key = scheduleKey(created.id, 300)!;
    expect((await h.getItem(key.pk, key.sk))?.['payload']).toBe(payload);
  });

  it('a malformed AWSDateTime or AWSJSON variable is refused before any resolver runs', async () => {
    // Act
    const badDate = await h.run(userCaller('val'), CREATE, {
      input: { payload: '{}', dueAt: '2027-03-20 10:00' },
    });
    const noOffset = await h.run(userCaller('val'), CREATE, {
      input: { payload: '{}', dueAt: '2027-03-20T10:00:00' },
    });
    const badJson = await h.run(userCaller('val'), CREATE, {
      input: { payload: '{not json', delaySeconds: 5 },
    });

    // Assess
    expect(badDate.errors?.[0]?.message).toContain('Invalid AWSDateTime value');
    expect(badDate.errors?.[0]?.message).toContain('2027-03-20 10:00');
    expect(noOffset.errors?.[0]?.message).toContain('Invalid AWSDateTime value');
    expect(badJson.errors?.[0]?.message).toContain('Invalid AWSJSON value');
    expect(badJson.data).toBeUndefined();
    for (const result of [badDate, noOffset, badJson]) {
      expect(result.errors?.[0]?.errorType).toBe('ValidationError');
    }
  });
});
