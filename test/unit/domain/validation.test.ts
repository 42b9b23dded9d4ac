import { describe, expect, it } from 'vitest';
import { ErrorType } from '../../../src/domain/errors.js';
import { DEFAULT_SETTINGS, type SchedulerSettings } from '../../../src/domain/settings.js';
import {
  delaySecondsUntil,
  utf8Length,
  validateClientToken,
  validateCreateSchedule,
  validateIdArgument,
  type CreateScheduleFields,
} from '../../../src/domain/validation.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0, 0);
const settings: SchedulerSettings = {
  ...DEFAULT_SETTINGS,
  maxPayloadBytes: 100,
  maxHorizonSeconds: 86_400,
};

const iso = (ms: number) => new Date(ms).toISOString();

function validate(fields: Partial<CreateScheduleFields>) {
  return validateCreateSchedule({ payload: { a: 1 }, ...fields }, NOW, settings);
}

function errorOf(fields: Partial<CreateScheduleFields>) {
  const result = validate(fields);
  if (result.ok) throw new Error(`expected a validation error for ${JSON.stringify(fields)}`);
  expect(result.error.type).toBe(ErrorType.validation);
  return result.error.message;
}

describe('validateCreateSchedule', () => {
  it('accepts an absolute due time and normalises it to UTC milliseconds', () => {
    const result = validate({ dueAt: '2026-11-23T13:00:01.234+01:00' });
    expect(result).toMatchObject({
      ok: true,
      value: {
        dueAtMs: NOW + 1234,
        dueAt: '2026-11-23T12:00:01.234Z',
        fastPath: true,
        clientToken: null,
      },
    });
  });

  it('turns a delay into a due time', () => {
    const result = validate({ delaySeconds: 90 });
    expect(result.ok && result.value.dueAtMs).toBe(NOW + 90_000);
  });

  it('sends work due within the horizon down the fast path, and the rest to the table', () => {
    expect(validate({ delaySeconds: 900 })).toMatchObject({ value: { fastPath: true } });
    expect(validate({ delaySeconds: 901 })).toMatchObject({ value: { fastPath: false } });
    const short = validateCreateSchedule({ payload: 1, delaySeconds: 11 }, NOW, {
      ...settings,
      fastPathHorizonSeconds: 10,
    });
    expect(short).toMatchObject({ value: { fastPath: false } });
  });

  it('requires exactly one of dueAt and delaySeconds', () => {
    expect(errorOf({})).toBe(
      'Give exactly one of input.dueAt and input.delaySeconds; received neither',
    );
    expect(errorOf({ dueAt: iso(NOW), delaySeconds: 5 })).toBe(
      'Give exactly one of input.dueAt and input.delaySeconds; received both',
    );
  });

  it('refuses negative or fractional delays', () => {
    expect(errorOf({ delaySeconds: -1 })).toBe(
      'input.delaySeconds must be a whole number >= 0; received -1',
    );
    expect(errorOf({ delaySeconds: 1.5 })).toBe(
      'input.delaySeconds must be a whole number >= 0; received 1.5',
    );
  });

  it('refuses due times in the past beyond the tolerance, and accepts them within it', () => {
    expect(validate({ dueAt: iso(NOW - 30_000) }).ok).toBe(true);
    expect(errorOf({ dueAt: iso(NOW - 30_001) })).toBe(
      'input.dueAt is 30001 ms in the past (at most 30000 ms allowed); received 2026-11-23T11:59:29.999Z',
    );
  });

  it('refuses due times beyond the maximum horizon', () => {
    expect(validate({ dueAt: iso(NOW + 86_400_000) }).ok).toBe(true);
    expect(errorOf({ dueAt: iso(NOW + 86_400_001) })).toBe(
      'input.dueAt is more than 86400 seconds ahead; received 2026-11-24T12:00:00.001Z',
    );
  });

  it('refuses precision finer than a millisecond', () => {
    expect(errorOf({ dueAt: '2026-11-23T12:00:00.0001Z' })).toBe(
      'input.dueAt may have at most millisecond precision; received 2026-11-23T12:00:00.0001Z',
    );
  });

  it('refuses empty and oversized payloads, counting UTF-8 bytes', () => {
    expect(errorOf({ delaySeconds: 1, payload: undefined })).toBe(
      'input.payload must be a JSON document; received nothing',
    );
    const hundredBytes = 'é'.repeat(49);
    expect(utf8Length(JSON.stringify(hundredBytes))).toBe(100);
    expect(validate({ delaySeconds: 1, payload: hundredBytes }).ok).toBe(true);
    expect(errorOf({ delaySeconds: 1, payload: 'é'.repeat(49) + 'x' })).toBe(
      'input.payload must be at most 100 bytes; received 101',
    );
  });

  it('checks the client token', () => {
    expect(validate({ delaySeconds: 1, clientToken: 'order-42:v1' })).toMatchObject({
      value: { clientToken: 'order-42:v1' },
    });
    expect(errorOf({ delaySeconds: 1, clientToken: '' })).toBe(
      'input.clientToken must be 1 to 64 characters; received 0',
    );
    expect(errorOf({ delaySeconds: 1, clientToken: 'x'.repeat(65) })).toBe(
      'input.clientToken must be 1 to 64 characters; received 65',
    );
    expect(errorOf({ delaySeconds: 1, clientToken: 'a#b' })).toBe(
      'input.clientToken may hold only letters, digits and "-_.:"; received "#"',
    );
  });
});

describe('utf8Length', () => {
  it('matches Buffer.byteLength for every width of code point', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a😀é€\u0000']) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});

describe('validateClientToken and validateIdArgument', () => {
  it('return the value when valid', () => {
    expect(validateClientToken('abc')).toEqual({ ok: true, value: 'abc' });
    expect(validateIdArgument('id', 'x')).toEqual({ ok: true, value: 'x' });
  });

  it('bound the id length', () => {
    expect(validateIdArgument('id', 'x'.repeat(65))).toEqual({
      ok: false,
      error: { type: ErrorType.validation, message: 'id must be 1 to 64 characters; received 65' },
    });
  });
});

describe('delaySecondsUntil', () => {
  it('rounds down so the message arrives early, and clamps to SQS limits', () => {
    expect(delaySecondsUntil(NOW + 1999, NOW)).toBe(1);
    expect(delaySecondsUntil(NOW - 5000, NOW)).toBe(0);
    expect(delaySecondsUntil(NOW + 3_600_000, NOW)).toBe(900);
  });
});

describe('validateCreateSchedule: offsets and payload content', () => {
  it('accepts an offset with seconds and refuses out-of-range offsets by name and value', () => {
    expect(validate({ dueAt: '2026-11-23T13:00:30+01:00:30' })).toMatchObject({
      value: { dueAtMs: NOW, dueAt: '2026-11-23T12:00:00.000Z' },
    });
    for (const zone of ['+24:00', '+99:99', '+05:60', '-40:15']) {
      expect(errorOf({ dueAt: `2026-11-23T12:00:00${zone}` })).toBe(
        `input.dueAt is not a valid AWSDateTime (the offset must be within ±18:00, its minutes and seconds 00 to 59); received "2026-11-23T12:00:00${zone}"`,
      );
    }
  });

  it('refuses payloads no channel can carry unchanged, and keeps the rest as equal JSON text', () => {
    expect(errorOf({ delaySeconds: 1, payload: { m: ['hi', 'x\ud800'] } })).toBe(
      'input.payload.m[1] holds a lone surrogate U+D800 at index 1, which no Unicode text can carry; payloads must be valid Unicode',
    );
    expect(errorOf({ delaySeconds: 1, payload: JSON.parse('{"n":1e400}') })).toContain(
      'input.payload.n is a number beyond what JSON can carry',
    );
    expect(
      errorOf({ delaySeconds: 1, payload: JSON.parse('{"n":12345678901234567890}') }),
    ).toContain('input.payload.n is 12345678901234567000 once parsed');
    const text = '{"m":"hi 😀\ufffe\\u0001𝕏"}';
    expect(validate({ delaySeconds: 1, payload: JSON.parse(text) })).toMatchObject({
      value: { payload: JSON.stringify(JSON.parse(text)) },
    });
  });
});
