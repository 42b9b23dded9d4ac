import { HelperArgumentError } from './errors.js';
import { tokenizePattern, zoneOffsetMinutes, type PatternToken } from './time-format.js';

const MONTH_ABBREVIATIONS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/;
/** java.time's ZoneOffset range, which the Java-backed util.time enforces: ±18:00. */
const MAX_OFFSET_SECONDS = 18 * 3600;

interface ParsedFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  pm: boolean | null;
  offsetMinutes: number | null;
}

/** Seconds east of UTC of `Z`, `±hh`, `±hh[:]mm` or `±hh[:]mm[:]ss`; throws when out of range. */
function parseOffsetSeconds(text: string, helper: string): number {
  if (text === 'Z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replaceAll(':', '');
  const [hours, minutes, seconds] = [0, 2, 4].map((at) => Number(digits.slice(at, at + 2) || '0'));
  const total = hours! * 3600 + minutes! * 60 + seconds!;
  if (minutes! > 59 || seconds! > 59 || total > MAX_OFFSET_SECONDS) {
    throw new HelperArgumentError(helper, 'zone offset not in the range -18:00 to +18:00', text);
  }
  return sign * total;
}

function parseOffset(text: string, helper: string): number {
  return parseOffsetSeconds(text, helper) / 60;
}

/** util.time.parseISO8601ToEpochMilliSeconds: a date, or a date-time with an optional offset (UTC when none). */
export function parseIso8601(text: string, helper: string): number {
  const match = ISO_8601.exec(typeof text === 'string' ? text.trim() : '');
  if (match === null) throw new HelperArgumentError(helper, 'not an ISO-8601 timestamp', text);
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0', offset = 'Z'] = match;
  const utc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(fraction.padEnd(3, '0').slice(0, 3)),
  );
  return utc - parseOffsetSeconds(offset, helper) * 1000;
}

function readField(token: Extract<PatternToken, { kind: 'field' }>, rest: string): string | null {
  if (token.letter === 'a') return /^(AM|PM)/i.exec(rest)?.[0] ?? null;
  if (token.letter === 'M' && token.width >= 3) return /^[A-Za-z]+/.exec(rest)?.[0] ?? null;
  if (token.letter === 'E') return /^[A-Za-z]+/.exec(rest)?.[0] ?? null;
  if ('XxZ'.includes(token.letter)) return /^(Z|[+-]\d{2}(?::?\d{2})?)/.exec(rest)?.[0] ?? null;
  if (token.letter === 'z') return /^[A-Za-z_/+-]+/.exec(rest)?.[0] ?? null;
  const width = token.letter === 'y' && token.width !== 2 ? '4' : String(Math.max(token.width, 1));
  const pattern = token.width === 1 ? /^\d{1,2}/ : new RegExp(`^\\d{${width}}`);
  return pattern.exec(rest)?.[0] ?? null;
}

function applyField(
  fields: ParsedFields,
  letter: string,
  value: string,
  width: number,
  helper: string,
): void {
  switch (letter) {
    case 'y':
      fields.year = width === 2 ? 2000 + Number(value) : Number(value);
      break;
    case 'M':
      fields.month =
        width >= 3
          ? MONTH_ABBREVIATIONS.indexOf(value.slice(0, 3).toLowerCase()) + 1
          : Number(value);
      break;
    case 'd':
      fields.day = Number(value);
      break;
    case 'H':
    case 'h':
      fields.hour = Number(value);
      break;
    case 'm':
      fields.minute = Number(value);
      break;
    case 's':
      fields.second = Number(value);
      break;
    case 'S':
      fields.millisecond = Number(value.padEnd(3, '0').slice(0, 3));
      break;
    case 'a':
      fields.pm = value.toUpperCase() === 'PM';
      break;
    case 'X':
    case 'x':
    case 'Z':
      fields.offsetMinutes = parseOffset(value, helper);
      break;
    default:
      break;
  }
}

/** util.time.parseFormattedToEpochMilliSeconds for the numeric and English-name pattern letters. */
export function parseFormatted(
  text: string,
  pattern: string,
  timeZone: string | undefined,
  helper: string,
): number {
  const fields: ParsedFields = {
    year: 1970,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
    pm: null,
    offsetMinutes: null,
  };
  let rest = String(text);
  for (const token of tokenizePattern(pattern, helper)) {
    const piece =
      token.kind === 'literal'
        ? rest.startsWith(token.text)
          ? token.text
          : null
        : readField(token, rest);
    if (piece === null)
      throw new HelperArgumentError(
        helper,
        `"${text}" does not match the format "${pattern}"`,
        text,
      );
    if (token.kind === 'field') applyField(fields, token.letter, piece, token.width, helper);
    rest = rest.slice(piece.length);
  }
  if (rest !== '' || fields.month < 1) {
    throw new HelperArgumentError(helper, `"${text}" does not match the format "${pattern}"`, text);
  }
  const hour = fields.pm === null ? fields.hour : (fields.hour % 12) + (fields.pm ? 12 : 0);
  const local = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    hour,
    fields.minute,
    fields.second,
    fields.millisecond,
  );
  if (fields.offsetMinutes !== null) return local - fields.offsetMinutes * 60_000;
  if (timeZone === undefined) return local;
  const guess = local - zoneOffsetMinutes(local, timeZone, helper) * 60_000;
  return local - zoneOffsetMinutes(guess, timeZone, helper) * 60_000;
}
