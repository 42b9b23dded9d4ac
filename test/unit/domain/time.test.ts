import { describe, expect, it } from 'vitest';
import { fractionDigits, isoFromEpochMs } from '../../../src/domain/time.js';

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
