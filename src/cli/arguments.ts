/*
 * Parsers for option values. Each refuses a bad value with a UsageError (exit code 2) naming the
 * option and the value received, before anything is sent.
 */
import type {
  ConflictPolicy,
  DeliveryChannel,
  ScheduleStatus,
  SortOrder,
} from '../client/index.js';
import { parseDuration } from './duration.js';

/** Thrown for a command line that cannot run; the CLI exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const STATUSES: readonly ScheduleStatus[] = [
  'PENDING',
  'QUEUED',
  'FIRING',
  'FIRED',
  'CANCELLED',
  'RESCHEDULED',
];
const CHANNELS: readonly DeliveryChannel[] = ['QUEUE', 'SUBSCRIPTION'];
const POLICIES: readonly ConflictPolicy[] = ['REJECT', 'REPLACE', 'KEEP'];
const ORDERS: readonly SortOrder[] = ['ASC', 'DESC'];

function oneOf<T extends string>(option: string, allowed: readonly T[], value: string): T {
  const upper = value.trim().toUpperCase();
  const found = allowed.find((candidate) => candidate === upper);
  if (found === undefined)
    throw new UsageError(
      `${option} must be one of ${allowed.map((a) => a.toLowerCase()).join(', ')}; received "${value}"`,
    );
  return found;
}

/** Values of a repeatable option, each of which may also be a comma-separated list. */
function listOf<T extends string>(
  option: string,
  allowed: readonly T[],
  values: readonly string[],
): T[] {
  return values.flatMap((value) => value.split(',')).map((value) => oneOf(option, allowed, value));
}

/** `--status fired,cancelled` (repeatable). */
export function parseStatuses(values: readonly string[]): ScheduleStatus[] {
  return listOf('--status', STATUSES, values);
}

/** `--deliver queue` (repeatable). */
export function parseChannels(values: readonly string[]): DeliveryChannel[] {
  return listOf('--deliver', CHANNELS, values);
}

/** `--on-conflict reject|replace|keep`. */
export function parseConflictPolicy(value: string): ConflictPolicy {
  return oneOf('--on-conflict', POLICIES, value);
}

/** `--order asc|desc`. */
export function parseOrder(value: string): SortOrder {
  return oneOf('--order', ORDERS, value);
}

/** A positive whole number for `option`. */
export function parsePositiveInteger(option: string, value: string): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < 1)
    throw new UsageError(`${option} must be a positive whole number; received "${value}"`);
  return number;
}

/** An ISO-8601 instant for `option` (the server checks the range). */
export function parseInstant(option: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError(
      `${option} must be an ISO-8601 time like 2027-03-20T09:46:47.123Z; received "${value}"`,
    );
  return value;
}

/** The due time of `--at <ISO>` or `--in <duration>` (exactly one). */
export function parseWhen(options: {
  at?: string | undefined;
  in?: string | undefined;
}): { dueAt: string } | { delaySeconds: number } {
  if ((options.at === undefined) === (options.in === undefined))
    throw new UsageError('Give exactly one of --at <ISO time> and --in <duration>');
  if (options.at !== undefined) return { dueAt: parseInstant('--at', options.at) };
  try {
    return { delaySeconds: parseDuration(options.in ?? '') };
  } catch (error) {
    throw new UsageError(`--in: ${(error as Error).message}`);
  }
}

/** The schedule a command acts on: the positional id or `--key` (exactly one). */
export function parseTarget(
  command: string,
  id: string | undefined,
  key: string | undefined,
): { id: string } | { key: string } {
  if ((id === undefined) === (key === undefined))
    throw new UsageError(
      `${command} needs the schedule id or --key <key> (one of them); received ${
        id === undefined ? 'neither' : `id "${id}" and --key "${key}"`
      }`,
    );
  return id === undefined ? { key: key ?? '' } : { id };
}
