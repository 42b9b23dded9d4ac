import {
  readIntegerSettings,
  readSettings,
  type IntegerSettingSpec,
  type SchedulerSettings,
} from '../domain/settings.js';
import { EngineConfigurationError } from './errors.js';

/** Tunables of the feeder and dispatcher, on top of the settings shared with the resolvers. */
export interface EngineSettings extends SchedulerSettings {
  /** The feeder hands over schedules due within this many seconds (SQS max 900). @default 180 */
  readonly lookaheadSeconds: number;
  /** A QUEUED schedule this many seconds overdue, and handed over as long ago, is re-sent. @default 60 */
  readonly strandedGraceSeconds: number;
  /** SendMessageBatch calls the feeder keeps in flight. @default 8 */
  readonly sendConcurrency: number;
  /** Messages per SendMessageBatch call (SQS max 10). @default 10 */
  readonly sendBatchSize: number;
  /** publishScheduleFired requests the dispatcher keeps in flight (one per event). @default 16 */
  readonly publishConcurrency: number;
  /** Items per Query page; the feeder checks its deadline between pages. @default 1000 */
  readonly queryPageSize: number;
  /** Longest the dispatcher holds an early message; earlier ones are re-sent with a delay. @default 2000 */
  readonly maxHoldMs: number;
  /** Longest one feeder run lasts, also the lifetime of its shard lease. @default 50 */
  readonly feederMaxRunSeconds: number;
  /** A feeder run stops this long before the Lambda timeout. @default 5000 */
  readonly feederStopMarginMs: number;
  /** Where a shard with no watermark yet starts reading, in seconds before now. @default 86400 */
  readonly initialLookbackSeconds: number;
  /**
   * A FIRING claim this old is stale: its holder is gone, so another message may take it and the
   * feeder re-delivers it. At least the delay queue's visibility timeout, so a message waiting
   * for SQS's redelivery is not taken over. @default 180 (the cloud's 6 x 30 s)
   */
  readonly claimStaleSeconds: number;
  /** The delay queue's maxReceiveCount: the dispatcher reports a message's last try. @default 5 */
  readonly maxReceiveCount: number;
  /**
   * Failed delivery attempts after which the feeder stops re-delivering a claim (dead-lettered:
   * only a DLQ redrive delivers it then). @default 10 (two messages' worth of receives)
   */
  readonly maxDeliveryAttempts: number;
}

type EngineOnlySettings = Omit<EngineSettings, keyof SchedulerSettings>;

/** Environment variable, default and allowed range of every engine-only setting. */
export const ENGINE_SETTING_SPECS: readonly IntegerSettingSpec<keyof EngineOnlySettings>[] = [
  { name: 'lookaheadSeconds', env: 'LOOKAHEAD_SECONDS', fallback: 180, min: 60, max: 900 },
  { name: 'strandedGraceSeconds', env: 'STRANDED_GRACE_SECONDS', fallback: 60, min: 1, max: 3600 },
  { name: 'sendConcurrency', env: 'SEND_CONCURRENCY', fallback: 8, min: 1, max: 100 },
  { name: 'sendBatchSize', env: 'SEND_BATCH_SIZE', fallback: 10, min: 1, max: 10 },
  { name: 'publishConcurrency', env: 'PUBLISH_CONCURRENCY', fallback: 16, min: 1, max: 256 },
  { name: 'queryPageSize', env: 'QUERY_PAGE_SIZE', fallback: 1000, min: 10, max: 10_000 },
  { name: 'maxHoldMs', env: 'MAX_HOLD_MS', fallback: 2000, min: 1000, max: 60_000 },
  { name: 'feederMaxRunSeconds', env: 'FEEDER_MAX_RUN_SECONDS', fallback: 50, min: 1, max: 890 },
  { name: 'feederStopMarginMs', env: 'FEEDER_STOP_MARGIN_MS', fallback: 5000, min: 0, max: 60_000 },
  {
    name: 'initialLookbackSeconds',
    env: 'INITIAL_LOOKBACK_SECONDS',
    fallback: 86_400,
    min: 0,
    max: 31_536_000,
  },
  { name: 'claimStaleSeconds', env: 'CLAIM_STALE_SECONDS', fallback: 180, min: 1, max: 43_200 },
  { name: 'maxReceiveCount', env: 'MAX_RECEIVE_COUNT', fallback: 5, min: 1, max: 1000 },
  {
    name: 'maxDeliveryAttempts',
    env: 'MAX_DELIVERY_ATTEMPTS',
    fallback: 10,
    min: 1,
    max: 10_000,
  },
];

/** Names of the AWS resources the handlers talk to, from the environment. */
export interface EngineResources {
  readonly tableName: string;
  readonly delayQueueUrl: string;
  readonly outputQueueUrl: string;
  readonly appsyncGraphqlUrl: string;
  readonly feederFunctionName: string;
}

/** Environment variable of each resource name. */
export const RESOURCE_ENV: Readonly<Record<keyof EngineResources, string>> = {
  tableName: 'TABLE_NAME',
  delayQueueUrl: 'DELAY_QUEUE_URL',
  outputQueueUrl: 'OUTPUT_QUEUE_URL',
  appsyncGraphqlUrl: 'APPSYNC_GRAPHQL_URL',
  feederFunctionName: 'FEEDER_FUNCTION_NAME',
};

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates every engine setting (shared ones through `readSettings`); throws an
 * {@link EngineConfigurationError} naming the variable and the value received.
 */
export function readEngineSettings(env: Env): EngineSettings {
  const shared = readSettings(env);
  if (!shared.ok) {
    throw new EngineConfigurationError(shared.error.message);
  }
  const engineOnly = readIntegerSettings(ENGINE_SETTING_SPECS, env);
  if (!engineOnly.ok) {
    throw new EngineConfigurationError(engineOnly.error.message);
  }
  const settings: EngineSettings = { ...shared.value, ...engineOnly.value };
  if (settings.strandedGraceSeconds * 1000 <= settings.maxHoldMs) {
    throw new EngineConfigurationError(
      `STRANDED_GRACE_SECONDS must exceed MAX_HOLD_MS, or held messages look stranded; received ${settings.strandedGraceSeconds} s and ${settings.maxHoldMs} ms`,
    );
  }
  return settings;
}

/** Reads the named resources from the environment; throws when one is missing or empty. */
export function readEngineResources<K extends keyof EngineResources>(
  env: Env,
  required: readonly K[],
): Pick<EngineResources, K> {
  const resources: Partial<Record<keyof EngineResources, string>> = {};
  for (const name of required) {
    const value = env[RESOURCE_ENV[name]];
    if (value === undefined || value.trim() === '') {
      throw new EngineConfigurationError(
        `${RESOURCE_ENV[name]} must be set to the ${name} this handler uses; received "${String(value)}"`,
      );
    }
    resources[name] = value;
  }
  return resources as Pick<EngineResources, K>;
}
