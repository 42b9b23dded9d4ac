import { describe, expect, it } from 'vitest';
import { fractionDigits, isoFromEpochMs, parseAwsDateTime } from '../../../src/domain/time.js';

describe('isoFromEpochMs', () => {
  it('matches Date#toISOString across leap years, month and year rollovers', () => {
    // Prepare: instants around tricky calendar edges plus a pseudo-random sweep over 1970-2300.
    const edges = [
      0,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2024, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
      Date.UTC(2100, 1, 28, 12),
      Date.UTC(2000, 1, 29),
    ];
    let seed = 12345;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      edges.push(Math.floor((seed / 2 ** 31) * Date.UTC(2300, 0, 1)));
    }
    // Act + Assess
    for (const ms of edges) {
      expect(isoFromEpochMs(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

describe('fractionDigits', () => {
  it('counts the digits after the seconds', () => {
    expect(fractionDigits('2027-03-20T09:46:47Z')).toBe(0);
    expect(fractionDigits('2027-03-20T09:46:47.1Z')).toBe(1);
    expect(fractionDigits('2027-03-20T09:46:47.123+02:00')).toBe(3);
    expect(fractionDigits('2027-03-20T09:46:47.123456Z')).toBe(6);
  });
});

describe('parseAwsDateTime', () => {
  const random = (() => {
    let state = 4242;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  })();
  const two = (n: number) => String(n).padStart(2, '0');
  const offsetText = (seconds: number, withSeconds: boolean) => {
    const sign = seconds < 0 ? '-' : '+';
    const abs = Math.abs(seconds);
    const hhmm = `${sign}${two(Math.floor(abs / 3600))}:${two(Math.floor((abs % 3600) / 60))}`;
    return withSeconds ? `${hhmm}:${two(abs % 60)}` : hhmm;
  };
  const refusal = (text: string) => {
    const result = parseAwsDateTime('input.dueAt', text);
    if (result.ok) throw new Error(`expected ${text} to be refused`);
    expect(result.error.type).toBe('ValidationError');
    expect(result.error.message).toContain(`input.dueAt is not a valid AWSDateTime (`);
    expect(result.error.message).toContain(`received ${JSON.stringify(text)}`);
    return result.error.message;
  };

  it('reads every valid form: Z, ±hh:mm, ±hh:mm:ss within ±18:00, with and without seconds and fractions', () => {
    for (let n = 0; n < 3000; n++) {
      // Prepare: a local wall-clock time and an offset, written in one of the accepted forms.
      const localMs = Math.floor(random() * Date.UTC(2300, 0, 1));
      const withSeconds = random() < 0.5;
      const offset =
        n % 5 === 0
          ? 0
          : Math.round((random() * 2 - 1) * 18 * 3600) * (withSeconds ? 1 : 0) ||
            Math.round((random() * 2 - 1) * 18 * 60) * 60;
      const zone = n % 5 === 0 ? 'Z' : offsetText(offset, withSeconds && offset % 60 !== 0);
      const iso = new Date(localMs).toISOString();
      const digits = Math.floor(random() * 10);
      const fraction =
        digits === 0 ? '' : `.${iso.slice(20, 23)}${'0'.repeat(9)}`.slice(0, digits + 1);
      const keepSeconds = digits > 0 || random() < 0.8;
      const text = `${iso.slice(0, 16)}${keepSeconds ? iso.slice(16, 19) + fraction : ''}${zone}`;
      const wall =
        Date.parse(`${iso.slice(0, 16)}${keepSeconds ? iso.slice(16, 19) : ':00'}Z`) +
        (digits === 0 ? 0 : Number(fraction.slice(1, 4).padEnd(3, '0')));

      // Act
      const result = parseAwsDateTime('input.dueAt', text);

      // Assess
      expect(result, text).toEqual({ ok: true, value: wall - offset * 1000 });
    }
    expect(parseAwsDateTime('d', '2027-03-20T09:46:47+01:00:30')).toEqual({
      ok: true,
      value: Date.UTC(2027, 2, 20, 8, 46, 17),
    });
    expect(parseAwsDateTime('d', '2027-03-20T09:46:47-18:00')).toMatchObject({ ok: true });
    expect(parseAwsDateTime('d', '2027-03-20T09:46:47-00:00')).toMatchObject({
      value: Date.UTC(2027, 2, 20, 9, 46, 47),
    });
    expect(parseAwsDateTime('d', '2024-02-29T00:00Z')).toMatchObject({ ok: true });
  });

  it('refuses offsets out of range: hours, minutes and seconds, and beyond ±18:00', () => {
    const cases = ['+24:00', '+99:99', '+05:60', '-40:15', '+18:00:01', '-18:01', '+00:00:60'];
    for (let n = 0; n < 200; n++) {
      const hours = 19 + Math.floor(random() * 81);
      const minutes = Math.floor(random() * 100);
      cases.push(`${random() < 0.5 ? '+' : '-'}${two(hours)}:${two(minutes)}`);
      cases.push(`+${two(Math.floor(random() * 18))}:${two(60 + Math.floor(random() * 40))}`);
      cases.push(`-01:00:${two(60 + Math.floor(random() * 40))}`);
    }
    for (const zone of cases) {
      expect(refusal(`2027-03-20T09:46:47${zone}`)).toContain('the offset must be within ±18:00');
    }
  });

  it('refuses offsets without colons, other zone spellings and malformed times', () => {
    const zones = [
      '+0530',
      '+05',
      '+053015',
      '+05:3015',
      '+0530:15',
      '+5:30',
      'z',
      'UTC',
      ' Z',
      '',
      'Z+01:00',
      '+05:30Z',
      '[Europe/Paris]',
    ];
    for (const zone of zones) {
      expect(refusal(`2027-03-20T09:46:47${zone}`)).toContain('expected yyyy-mm-ddThh:mm');
    }
    for (const text of [
      '2027-03-20 09:46:47Z',
      '2027-03-20t09:46:47Z',
      '27-03-20T09:46:47Z',
      '2027-03-20T9:46:47Z',
      '2027-03-20T09:46:47.Z',
      '2027-03-20T09:46:47.1234567890Z',
      '2027-03-20T09:46.5Z',
      '',
      'tomorrow',
    ]) {
      expect(refusal(text)).toContain('expected yyyy-mm-ddThh:mm');
    }
    expect(refusal('2023-02-29T00:00:00Z')).toContain('no such day in the calendar');
    expect(refusal('2027-13-01T00:00:00Z')).toContain('no such day in the calendar');
    expect(refusal('2027-03-20T24:00:00Z')).toContain('hours must be 00 to 23');
    expect(refusal('2027-03-20T23:60:00Z')).toContain('hours must be 00 to 23');
    expect(refusal('2027-03-20T23:59:60Z')).toContain('hours must be 00 to 23');
  });
});
