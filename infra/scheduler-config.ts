import {
  SETTING_SPECS,
  readSettings,
  settingsEnvironment,
  type SchedulerSettings,
} from '../src/domain/settings.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../src/engine/observability.js';
import { ENGINE_SETTING_SPECS, readEngineSettings } from '../src/engine/settings.js';
import type { PreciseSchedulerProps } from './precise-scheduler-props.js';

/** The numeric stack props after defaults and range checks. */
export interface SchedulerConfig {
  readonly settings: SchedulerSettings;
  readonly lookaheadSeconds: number;
  readonly strandedGraceSeconds: number;
  readonly dispatcherBatchSize: number;
  readonly dispatcherMaxBatchingWindowSeconds: number;
  readonly dispatcherTimeoutSeconds: number;
  readonly dispatcherMaxConcurrency: number | undefined;
  readonly feederTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly messageRetentionDays: number;
  readonly apiKeyExpiresInDays: number | undefined;
  readonly latenessP99AlarmMs: number;
  readonly oldestMessageAgeAlarmSeconds: number;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  readonly namePrefix: string | undefined;
}

interface Range {
  readonly min: number;
  readonly max: number;
}

/** Returns `value` (or `fallback`) after checking it is an integer within the range. */
function integerProp(name: string, value: number | undefined, fallback: number, range: Range) {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < range.min || resolved > range.max) {
    throw new Error(
      `PreciseScheduler: ${name} must be an integer from ${range.min} to ${range.max}. Received: ${String(value)}`,
    );
  }
  return resolved;
}

/** Returns `value` (or `fallback`) after checking it against the pattern. */
function textProp(name: string, value: string | undefined, fallback: string, pattern: RegExp) {
  const resolved = value ?? fallback;
  if (!pattern.test(resolved)) {
    throw new Error(
      `PreciseScheduler: ${name} must match ${String(pattern)}. Received: ${resolved}`,
    );
  }
  return resolved;
}

/** Checks the settings the resolvers and Lambdas read, with the same ranges as readSettings. */
function resolveSettings(props: PreciseSchedulerProps): SchedulerSettings {
  const values: Record<string, number> = {};
  for (const spec of SETTING_SPECS) {
    values[spec.name] = integerProp(spec.name, props[spec.name], spec.fallback, spec);
  }
  const env = Object.fromEntries(SETTING_SPECS.map((s) => [s.env, String(values[s.name])]));
  const checked = readSettings(env);
  if (!checked.ok) {
    throw new Error(`PreciseScheduler: ${checked.error.message}. Received: ${JSON.stringify(env)}`);
  }
  return checked.value;
}

/** Engine tunables with the engine's own ranges (src/engine/settings.ts). */
function engineProp(name: 'lookaheadSeconds' | 'strandedGraceSeconds', value: number | undefined) {
  const spec = ENGINE_SETTING_SPECS.find((s) => s.name === name);
  if (spec === undefined) {
    throw new Error(
      `PreciseScheduler: the engine has no setting ${name}. Received: ${String(value)}`,
    );
  }
  return integerProp(name, value, spec.fallback, spec);
}

/** Dispatcher, feeder and queue props. */
function resolveEngine(props: PreciseSchedulerProps) {
  return {
    lookaheadSeconds: engineProp('lookaheadSeconds', props.lookaheadSeconds),
    strandedGraceSeconds: engineProp('strandedGraceSeconds', props.strandedGraceSeconds),
    dispatcherBatchSize: integerProp('dispatcherBatchSize', props.dispatcherBatchSize, 10, {
      min: 1,
      max: 10_000,
    }),
    dispatcherMaxBatchingWindowSeconds: integerProp(
      'dispatcherMaxBatchingWindowSeconds',
      props.dispatcherMaxBatchingWindowSeconds,
      0,
      { min: 0, max: 300 },
    ),
    // Six times the timeout must fit SQS's 12-hour visibility limit.
    dispatcherTimeoutSeconds: integerProp(
      'dispatcherTimeoutSeconds',
      props.dispatcherTimeoutSeconds,
      30,
      { min: 3, max: 900 },
    ),
    // Lambda's MaximumConcurrency for SQS event sources is 2 to 1000.
    dispatcherMaxConcurrency:
      props.dispatcherMaxConcurrency === undefined
        ? undefined
        : integerProp('dispatcherMaxConcurrency', props.dispatcherMaxConcurrency, 0, {
            min: 2,
            max: 1000,
          }),
    feederTimeoutSeconds: integerProp('feederTimeoutSeconds', props.feederTimeoutSeconds, 60, {
      min: 10,
      max: 900,
    }),
    maxReceiveCount: integerProp('maxReceiveCount', props.maxReceiveCount, 5, {
      min: 1,
      max: 1000,
    }),
    messageRetentionDays: integerProp('messageRetentionDays', props.messageRetentionDays, 14, {
      min: 1,
      max: 14,
    }),
  };
}

/** API key, alarm and naming props. */
function resolveOperations(props: PreciseSchedulerProps) {
  return {
    apiKeyExpiresInDays:
      props.apiKeyExpiresInDays === undefined
        ? undefined
        : integerProp('apiKeyExpiresInDays', props.apiKeyExpiresInDays, 0, { min: 1, max: 365 }),
    latenessP99AlarmMs: integerProp('latenessP99AlarmMs', props.latenessP99AlarmMs, 1000, {
      min: 1,
      max: 3_600_000,
    }),
    oldestMessageAgeAlarmSeconds: integerProp(
      'oldestMessageAgeAlarmSeconds',
      props.oldestMessageAgeAlarmSeconds,
      1200,
      { min: 60, max: 1_209_600 },
    ),
    serviceName: textProp('serviceName', props.serviceName, SERVICE_NAME, /^[A-Za-z0-9_.-]{1,64}$/),
    metricsNamespace: textProp(
      'metricsNamespace',
      props.metricsNamespace,
      METRICS_NAMESPACE,
      /^[A-Za-z0-9_./#:-]{1,255}$/,
    ),
    namePrefix:
      props.namePrefix === undefined
        ? undefined
        : textProp('namePrefix', props.namePrefix, '', /^[A-Za-z][A-Za-z0-9-]{0,31}$/),
  };
}

/** Applies the defaults of {@link PreciseSchedulerProps} and rejects values out of range. */
export function resolveSchedulerConfig(props: PreciseSchedulerProps): SchedulerConfig {
  const config = {
    settings: resolveSettings(props),
    ...resolveEngine(props),
    ...resolveOperations(props),
  };
  const env = engineEnvironment(config);
  try {
    // The handlers' own start-up check, so a stack that deploys is a stack whose Lambdas start.
    readEngineSettings(env);
  } catch (error) {
    throw new Error(
      `PreciseScheduler: ${(error as Error).message}. Received: ${JSON.stringify(env)}`,
      { cause: error },
    );
  }
  return config;
}

/** The delay queue's visibility timeout: six times the dispatcher's timeout, as AWS advises for SQS event sources. */
export function delayQueueVisibilitySeconds(config: SchedulerConfig): number {
  return 6 * config.dispatcherTimeoutSeconds;
}

/** The settings every engine Lambda reads from its environment. */
export function engineEnvironment(config: SchedulerConfig): Record<string, string> {
  return {
    ...settingsEnvironment(config.settings),
    LOOKAHEAD_SECONDS: String(config.lookaheadSeconds),
    STRANDED_GRACE_SECONDS: String(config.strandedGraceSeconds),
    // A claim is taken over only once its holder's message could have come back: after the
    // delay queue's visibility timeout. The dispatcher flags a message's last receive before the DLQ.
    CLAIM_STALE_SECONDS: String(delayQueueVisibilitySeconds(config)),
    MAX_RECEIVE_COUNT: String(config.maxReceiveCount),
    POWERTOOLS_SERVICE_NAME: config.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: config.metricsNamespace,
  };
}

/** A physical name under the prefix, or undefined to let CloudFormation generate one. */
export function physicalName(config: SchedulerConfig, suffix: string): string | undefined {
  return config.namePrefix === undefined ? undefined : `${config.namePrefix}-${suffix}`;
}
