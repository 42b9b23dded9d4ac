import { ErrorType } from './errors.js';
import { fail, ok, type Result } from './result.js';

/** Tunables shared by the resolvers, the Lambdas and the local stack. */
export interface SchedulerSettings {
  /** Shards per time bucket; new schedules spread over them. Only ever raise it. @default 4 */
  readonly shardCount: number;
  /** Width of a time bucket in seconds; a whole number of minutes. @default 300 */
  readonly bucketWidthSeconds: number;
  /** Schedules due within this many seconds go straight to the delay queue (SQS max 900). @default 900 */
  readonly fastPathHorizonSeconds: number;
  /** How far ahead a schedule may be due, in seconds. @default 315360000 (10 years) */
  readonly maxHorizonSeconds: number;
  /** How far in the past a due time may be and still be accepted (fires at once), in ms. @default 30000 */
  readonly pastToleranceMs: number;
  /** Largest payload, in UTF-8 bytes; well under DynamoDB's 400 KB item limit. @default 65536 */
  readonly maxPayloadBytes: number;
  /** Days a fired or cancelled schedule stays readable before TTL removes it. @default 7 */
  readonly finishedRetentionDays: number;
}

/** One integer setting: its environment variable, default and allowed range. */
export interface IntegerSettingSpec<Name extends string> {
  readonly name: Name;
  readonly env: string;
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Reads integer settings from environment variables by their specs; a missing or empty one
 * takes its default, anything else must be an integer within its range.
 */
export function readIntegerSettings<Name extends string>(
  specs: readonly IntegerSettingSpec<Name>[],
  env: Readonly<Record<string, string | undefined>>,
): Result<Record<Name, number>> {
  const values: Record<string, number> = {};
  for (const spec of specs) {
    const raw = env[spec.env];
    const value = raw === undefined || raw === null || raw === '' ? spec.fallback : Number(raw);
    if (Math.floor(value) !== value || value < spec.min || value > spec.max) {
      return fail(
        ErrorType.configuration,
        `${spec.env} must be an integer from ${spec.min} to ${spec.max}; received "${String(raw)}"`,
      );
    }
    values[spec.name] = value;
  }
  return ok(values as Record<Name, number>);
}

/** Environment variable, default and allowed range of every setting. */
export const SETTING_SPECS: readonly IntegerSettingSpec<keyof SchedulerSettings>[] = [
  { name: 'shardCount', env: 'SHARD_COUNT', fallback: 4, min: 1, max: 1000 },
  { name: 'bucketWidthSeconds', env: 'BUCKET_WIDTH_SECONDS', fallback: 300, min: 60, max: 86_400 },
  {
    name: 'fastPathHorizonSeconds',
    env: 'FAST_PATH_HORIZON_SECONDS',
    fallback: 900,
    min: 0,
    max: 900,
  },
  {
    name: 'maxHorizonSeconds',
    env: 'MAX_HORIZON_SECONDS',
    fallback: 315_360_000,
    min: 60,
    max: 3_153_600_000,
  },
  { name: 'pastToleranceMs', env: 'PAST_TOLERANCE_MS', fallback: 30_000, min: 0, max: 3_600_000 },
  { name: 'maxPayloadBytes', env: 'MAX_PAYLOAD_BYTES', fallback: 65_536, min: 2, max: 300_000 },
  { name: 'finishedRetentionDays', env: 'FINISHED_RETENTION_DAYS', fallback: 7, min: 1, max: 3650 },
];

/** The settings used when no environment variable overrides them. */
export const DEFAULT_SETTINGS: SchedulerSettings = {
  shardCount: 4,
  bucketWidthSeconds: 300,
  fastPathHorizonSeconds: 900,
  maxHorizonSeconds: 315_360_000,
  pastToleranceMs: 30_000,
  maxPayloadBytes: 65_536,
  finishedRetentionDays: 7,
};

/**
 * Reads the settings from environment variables (AppSync `ctx.env` or `process.env`), each an
 * integer string within its range; missing or empty ones take their default.
 */
export function readSettings(
  env: Readonly<Record<string, string | undefined>>,
): Result<SchedulerSettings> {
  const read = readIntegerSettings(SETTING_SPECS, env);
  if (!read.ok) {
    return fail(read.error.type, read.error.message);
  }
  if (read.value.bucketWidthSeconds % 60 !== 0) {
    return fail(
      ErrorType.configuration,
      `BUCKET_WIDTH_SECONDS must be a whole number of minutes; received "${String(env['BUCKET_WIDTH_SECONDS'])}"`,
    );
  }
  return ok(read.value);
}

/** The environment variables that reproduce `settings` (for Lambda and AppSync environments). */
export function settingsEnvironment(settings: SchedulerSettings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const spec of SETTING_SPECS) {
    env[spec.env] = String(settings[spec.name]);
  }
  return env;
}
