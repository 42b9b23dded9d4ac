/*
 * UTC calendar arithmetic without `Date`, which the APPSYNC_JS runtime does not have.
 * The day-to-civil conversion is the well-known era/day-of-era algorithm for the
 * proleptic Gregorian calendar.
 */

import { ErrorType } from './errors.js';
import { fail, ok, type Result } from './result.js';

const DAY_MS = 86_400_000;

function pad(value: number, width: number): string {
  return ('0000' + String(value)).slice(-width);
}

/** Formats epoch milliseconds as ISO-8601 UTC with milliseconds: `2027-03-20T09:46:47.123Z`. */
export function isoFromEpochMs(epochMs: number): string {
  const days = Math.floor(epochMs / DAY_MS);
  const msOfDay = epochMs - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

  const hours = Math.floor(msOfDay / 3_600_000);
  const minutes = Math.floor((msOfDay % 3_600_000) / 60_000);
  const seconds = Math.floor((msOfDay % 60_000) / 1000);
  const millis = msOfDay % 1000;
  return (
    pad(year, 4) +
    '-' +
    pad(month, 2) +
    '-' +
    pad(day, 2) +
    'T' +
    pad(hours, 2) +
    ':' +
    pad(minutes, 2) +
    ':' +
    pad(seconds, 2) +
    '.' +
    pad(millis, 3) +
    'Z'
  );
}

/**
 * Counts the fractional-second digits of an ISO-8601 date-time text (0 when there are none).
 * AWSDateTime accepts any precision; the scheduler keeps milliseconds and refuses finer ones
 * rather than rounding a due time silently.
 */
export function fractionDigits(isoText: string): number {
  const timeStart = isoText.indexOf('T');
  const dot = isoText.indexOf('.', timeStart);
  if (timeStart < 0 || dot < 0) {
    return 0;
  }
  let count = 0;
  for (const ch of isoText.slice(dot + 1).split('')) {
    if ('0123456789'.indexOf(ch) < 0) {
      return count;
    }
    count = count + 1;
  }
  return count;
}

/** Largest UTC offset a date-time may carry, in seconds (±18:00, the bound of java.time's ZoneOffset). */
export const MAX_OFFSET_SECONDS = 18 * 3600;

const DIGITS = '0123456789';
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `text` (decimal digits only), or -1 when it holds anything else. */
function digitsValue(text: string): number {
  if (text === '') {
    return -1;
  }
  let value = 0;
  for (const ch of text.split('')) {
    const digit = DIGITS.indexOf(ch);
    if (digit < 0) {
      return -1;
    }
    value = value * 10 + digit;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (inverse of the era algorithm). */
function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Seconds east of UTC for `Z`, `±hh:mm` or `±hh:mm:ss`; a string says what is wrong. */
function offsetSeconds(zone: string): number | string {
  if (zone === 'Z') {
    return 0;
  }
  const sign = zone.charAt(0);
  const parts = zone.slice(1).split(':');
  if ((sign !== '+' && sign !== '-') || parts.length < 2 || parts.length > 3) {
    return 'the zone must be Z, ±hh:mm or ±hh:mm:ss';
  }
  const values = [];
  for (const part of parts) {
    const value = part.length === 2 ? digitsValue(part) : -1;
    if (value < 0) {
      return 'the zone must be Z, ±hh:mm or ±hh:mm:ss';
    }
    values.push(value);
  }
  const hours = values[0] ?? 0;
  const minutes = values[1] ?? 0;
  const seconds = values[2] ?? 0;
  if (minutes > 59 || seconds > 59) {
    return 'offset minutes and seconds must be 00 to 59';
  }
  const total = hours * 3600 + minutes * 60 + seconds;
  if (total > MAX_OFFSET_SECONDS) {
    return 'the offset must be within ±18:00';
  }
  return sign === '-' ? -total : total;
}

/** Splits `hh:mm[:ss[.fff]]` into milliseconds of the day; a string says what is wrong. */
function timeOfDayMs(time: string): number | string {
  const dot = time.indexOf('.');
  const clock = dot < 0 ? time : time.slice(0, dot);
  const fraction = dot < 0 ? '' : time.slice(dot + 1);
  const parts = clock.split(':');
  if (parts.length < 2 || parts.length > 3 || (dot >= 0 && parts.length !== 3)) {
    return 'the time must be hh:mm, hh:mm:ss or hh:mm:ss.sss';
  }
  if (dot >= 0 && (fraction.length < 1 || fraction.length > 9 || digitsValue(fraction) < 0)) {
    return 'the fraction of a second must have 1 to 9 digits';
  }
  const values = [];
  for (const part of parts) {
    const value = part.length === 2 ? digitsValue(part) : -1;
    if (value < 0) {
      return 'the time must be hh:mm, hh:mm:ss or hh:mm:ss.sss';
    }
    values.push(value);
  }
  const hours = values[0] ?? 0;
  const minutes = values[1] ?? 0;
  const seconds = values[2] ?? 0;
  if (hours > 23 || minutes > 59 || seconds > 59) {
    return 'hours must be 00 to 23, minutes and seconds 00 to 59';
  }
  // Only the first three fraction digits count; callers refuse finer precision by name.
  const millis = fraction === '' ? 0 : digitsValue((fraction + '00').slice(0, 3));
  return hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis;
}

/** Epoch ms of `yyyy-mm-dd`; a string says what is wrong. */
function dateMs(date: string): number | string {
  const parts = date.split('-');
  if (parts.length !== 3 || date.length !== 10) {
    return 'the date must be yyyy-mm-dd';
  }
  const year = digitsValue(parts[0] ?? '');
  const month = digitsValue(parts[1] ?? '');
  const day = digitsValue(parts[2] ?? '');
  if (year < 0 || month < 0 || day < 0) {
    return 'the date must be yyyy-mm-dd';
  }
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > monthDays) {
    return 'no such day in the calendar';
  }
  return epochDay(year, month, day) * DAY_MS;
}

/**
 * Parses an AWSDateTime as AppSync defines it: `yyyy-mm-ddThh:mm[:ss[.f{1,9}]]` followed by `Z`,
 * `±hh:mm` or `±hh:mm:ss`, the offset within ±18:00. Returns epoch ms, or a message naming
 * `field`, the problem and the value received (AppSync's Java-backed util.time is not relied
 * upon for offsets with seconds or out-of-range ones).
 */
export function parseAwsDateTime(field: string, text: string): Result<number> {
  const refuse = (problem: string): Result<number> =>
    fail(
      ErrorType.validation,
      `${field} is not a valid AWSDateTime (${problem}); received ${JSON.stringify(text)}`,
    );
  const t = text.indexOf('T');
  const rest = t < 0 ? '' : text.slice(t + 1);
  const zoneAt = rest.endsWith('Z')
    ? rest.length - 1
    : Math.max(rest.lastIndexOf('+'), rest.lastIndexOf('-'));
  if (t < 0 || zoneAt < 0) {
    return refuse('expected a date, T, a time and a zone, e.g. 2027-03-20T09:46:47.123Z');
  }
  const date = dateMs(text.slice(0, t));
  const time = timeOfDayMs(rest.slice(0, zoneAt));
  const offset = offsetSeconds(rest.slice(zoneAt));
  if (typeof date === 'string') {
    return refuse(date);
  }
  if (typeof time === 'string') {
    return refuse(time);
  }
  if (typeof offset === 'string') {
    return refuse(offset);
  }
  return ok(date + time - offset * 1000);
}
