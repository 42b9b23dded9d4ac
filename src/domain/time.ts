/*
 * UTC calendar arithmetic without `Date`, which the APPSYNC_JS runtime does not have.
 * The day-to-civil conversion is the well-known era/day-of-era algorithm for the
 * proleptic Gregorian calendar.
 */

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
