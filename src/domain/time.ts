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
const FORM =
  'expected yyyy-mm-ddThh:mm, optional :ss and .f to .fffffffff, then Z, ±hh:mm or ±hh:mm:ss';
const OFFSET_RANGE = 'the offset must be within ±18:00, its minutes and seconds 00 to 59';

/** The number written by `text`, which must be 1 to 9 decimal digits; -1 for anything else. */
function digitsValue(text: string): number {
  let value = text.length > 0 && text.length < 10 ? 0 : -1;
  for (const ch of text.split('')) {
    const digit = DIGITS.indexOf(ch);
    value = value < 0 || digit < 0 ? -1 : value * 10 + digit;
  }
  return value;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (the era algorithm, inverted). */
function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** Signed seconds east of UTC for `Z`, `±hh:mm` or `±hh:mm:ss`, or what is wrong with it. */
function zoneOffset(zone: string): number | string {
  if (zone === 'Z') {
    return 0;
  }
  const sign = zone.charAt(0);
  const hours = digitsValue(zone.slice(1, 3));
  const minutes = digitsValue(zone.slice(4, 6));
  const seconds = zone.length === 9 ? digitsValue(zone.slice(7, 9)) : 0;
  const colons = zone.charAt(3) === ':' && (zone.length === 6 || zone.charAt(6) === ':');
  if ((sign !== '+' && sign !== '-') || !colons || (zone.length !== 6 && zone.length !== 9)) {
    return FORM;
  }
  if (hours < 0 || minutes < 0 || seconds < 0) {
    return FORM;
  }
  const total = hours * 3600 + minutes * 60 + seconds;
  if (minutes > 59 || seconds > 59 || total > MAX_OFFSET_SECONDS) {
    return OFFSET_RANGE;
  }
  return sign === '-' ? -total : total;
}

/** Epoch ms of the date and time of day in `text` (no zone), or what is wrong with them. */
function localMs(text: string, fraction: number): number | string {
  const year = digitsValue(text.slice(0, 4));
  const month = digitsValue(text.slice(5, 7));
  const day = digitsValue(text.slice(8, 10));
  const hour = digitsValue(text.slice(11, 13));
  const minute = digitsValue(text.slice(14, 16));
  const second = text.charAt(16) === ':' ? digitsValue(text.slice(17, 19)) : 0;
  const millis =
    fraction > 0 ? digitsValue(`${text.slice(20, 20 + Math.min(fraction, 3))}00`.slice(0, 3)) : 0;
  const marks = `${text.charAt(4)}${text.charAt(7)}${text.charAt(10)}${text.charAt(13)}`;
  if (marks !== '--T:' || year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) {
    return FORM;
  }
  if (second < 0 || fraction > 9) {
    return FORM;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || day < 1 || day > monthDays) {
    return 'no such day in the calendar';
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return 'hours must be 00 to 23, minutes and seconds 00 to 59';
  }
  const ofDay = hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
  return epochDay(year, month, day) * DAY_MS + ofDay;
}

/**
 * Epoch ms of an AWSDateTime as AppSync defines it: `yyyy-mm-ddThh:mm[:ss[.f{1,9}]]` then `Z`,
 * `±hh:mm` or `±hh:mm:ss` within ±18:00. The error names `field`, the problem and the value.
 * Parsed here rather than by util.time, whose handling of offsets AppSync does not document.
 */
export function parseAwsDateTime(field: string, text: string): Result<number> {
  const hasSeconds = text.charAt(16) === ':';
  const fraction = hasSeconds && text.charAt(19) === '.' ? fractionDigits(text) : 0;
  const zoneAt = hasSeconds ? 19 + (fraction > 0 ? fraction + 1 : 0) : 16;
  const local = localMs(text, fraction);
  const offset = zoneOffset(text.slice(zoneAt));
  const problem = typeof local === 'string' ? local : typeof offset === 'string' ? offset : null;
  if (problem !== null || typeof local === 'string' || typeof offset === 'string') {
    return fail(
      ErrorType.validation,
      `${field} is not a valid AWSDateTime (${String(problem)}); received ${JSON.stringify(text)}`,
    );
  }
  return ok(local - offset * 1000);
}
