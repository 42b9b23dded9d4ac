/*
 * The subset of Java DateTimeFormatter patterns that util.time accepts locally: y, M (1-4 letters),
 * d, D, H, h, m, s, S (fraction), a, E, Z, X, x, z and quoted literals ('T', '' for a quote).
 */
import { HelperArgumentError } from './errors.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SUPPORTED_LETTERS = 'yMdDHhmsSaEZXxz';

/** One piece of a pattern: a run of one letter, or literal text. */
export type PatternToken =
  { kind: 'field'; letter: string; width: number } | { kind: 'literal'; text: string };

/** Splits a Java date pattern into field runs and literals. */
export function tokenizePattern(pattern: string, helper: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let index = 0;
  while (index < pattern.length) {
    const ch = pattern.charAt(index);
    if (ch === "'") {
      const end = pattern.indexOf("'", index + 1);
      if (end < 0)
        throw new HelperArgumentError(helper, 'unterminated quote in the format', pattern);
      tokens.push({
        kind: 'literal',
        text: end === index + 1 ? "'" : pattern.slice(index + 1, end),
      });
      index = end + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      let end = index;
      while (pattern.charAt(end) === ch) end += 1;
      if (!SUPPORTED_LETTERS.includes(ch)) {
        throw new HelperArgumentError(
          helper,
          `pattern letter "${ch}" is not supported locally`,
          pattern,
        );
      }
      tokens.push({ kind: 'field', letter: ch, width: end - index });
      index = end;
    } else {
      tokens.push({ kind: 'literal', text: ch });
      index += 1;
    }
  }
  return tokens;
}

/** Calendar fields of an instant in a zone. */
export interface ZonedFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
  dayOfYear: number;
  offsetMinutes: number;
  zone: string;
}

/** Offset of `timeZone` from UTC at `epochMs`, in minutes; throws for an unknown zone. */
export function zoneOffsetMinutes(epochMs: number, timeZone: string, helper: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(epochMs));
  } catch {
    throw new HelperArgumentError(helper, 'unknown time zone', timeZone);
  }
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000))) / 60_000);
}

/** Breaks an instant into the calendar fields of a zone (UTC when none). */
export function zonedFields(
  epochMs: number,
  timeZone: string | undefined,
  helper: string,
): ZonedFields {
  const zone = timeZone ?? 'UTC';
  const offsetMinutes = zoneOffsetMinutes(epochMs, zone, helper);
  const shifted = new Date(epochMs + offsetMinutes * 60_000);
  const startOfYear = Date.UTC(shifted.getUTCFullYear(), 0, 1);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
    weekday: shifted.getUTCDay(),
    dayOfYear: Math.floor((shifted.getTime() - startOfYear) / 86_400_000) + 1,
    offsetMinutes,
    zone,
  };
}

function pad(value: number, width: number): string {
  return String(Math.abs(value)).padStart(width, '0');
}

function formatOffset(minutes: number, width: number, zeroAsZ: boolean): string {
  if (minutes === 0 && zeroAsZ) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const hours = pad(Math.floor(Math.abs(minutes) / 60), 2);
  const mins = pad(Math.abs(minutes) % 60, 2);
  if (width === 1) return mins === '00' ? `${sign}${hours}` : `${sign}${hours}${mins}`;
  return width === 2 ? `${sign}${hours}${mins}` : `${sign}${hours}:${mins}`;
}

function formatField(letter: string, width: number, f: ZonedFields): string {
  switch (letter) {
    case 'y':
      return width === 2 ? pad(f.year % 100, 2) : pad(f.year, width);
    case 'M':
      if (width >= 4) return MONTHS[f.month - 1] ?? '';
      return width === 3 ? (MONTHS[f.month - 1] ?? '').slice(0, 3) : pad(f.month, width);
    case 'd':
      return pad(f.day, width);
    case 'D':
      return pad(f.dayOfYear, width);
    case 'H':
      return pad(f.hour, width);
    case 'h':
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, width);
    case 'm':
      return pad(f.minute, width);
    case 's':
      return pad(f.second, width);
    case 'S':
      return pad(f.millisecond, 3).padEnd(width, '0').slice(0, width);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'E':
      return width >= 4 ? (WEEKDAYS[f.weekday] ?? '') : (WEEKDAYS[f.weekday] ?? '').slice(0, 3);
    case 'Z':
      return formatOffset(f.offsetMinutes, 2, false);
    case 'X':
      return formatOffset(f.offsetMinutes, width, true);
    case 'x':
      return formatOffset(f.offsetMinutes, width, false);
    default:
      return f.zone;
  }
}

/** Formats an instant with a Java pattern in a zone (UTC when none). */
export function formatEpochMs(
  epochMs: number,
  pattern: string,
  timeZone: string | undefined,
  helper: string,
): string {
  const fields = zonedFields(epochMs, timeZone, helper);
  return tokenizePattern(pattern, helper)
    .map((token) =>
      token.kind === 'literal' ? token.text : formatField(token.letter, token.width, fields),
    )
    .join('');
}
