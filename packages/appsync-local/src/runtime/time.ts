import { HelperArgumentError } from './errors.js';
import { formatEpochMs } from './time-format.js';
import { parseFormatted, parseIso8601 } from './time-parse.js';

function requireEpochMs(helper: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new HelperArgumentError(helper, 'expected epoch milliseconds (a number)', value);
  }
  return value;
}

/** Builds util.time over a clock. */
export function createTimeUtils(now: () => number) {
  return {
    nowISO8601: (): string => new Date(now()).toISOString(),
    nowEpochSeconds: (): number => Math.floor(now() / 1000),
    nowEpochMilliSeconds: (): number => now(),
    nowFormatted: (format: string, timezone?: string): string =>
      formatEpochMs(now(), format, timezone, 'util.time.nowFormatted'),
    parseISO8601ToEpochMilliSeconds: (timestamp: string): number =>
      parseIso8601(timestamp, 'util.time.parseISO8601ToEpochMilliSeconds'),
    parseFormattedToEpochMilliSeconds: (
      timestamp: string,
      format: string,
      timezone?: string,
    ): number =>
      parseFormatted(timestamp, format, timezone, 'util.time.parseFormattedToEpochMilliSeconds'),
    epochMilliSecondsToSeconds: (milliseconds: number): number =>
      Math.floor(requireEpochMs('util.time.epochMilliSecondsToSeconds', milliseconds) / 1000),
    epochMilliSecondsToISO8601: (milliseconds: number): string =>
      new Date(requireEpochMs('util.time.epochMilliSecondsToISO8601', milliseconds)).toISOString(),
    epochMilliSecondsToFormatted: (
      milliseconds: number,
      format: string,
      timezone?: string,
    ): string =>
      formatEpochMs(
        requireEpochMs('util.time.epochMilliSecondsToFormatted', milliseconds),
        format,
        timezone,
        'util.time.epochMilliSecondsToFormatted',
      ),
  };
}
