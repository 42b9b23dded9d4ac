import { Logger } from '@aws-lambda-powertools/logger';
import { createDynamoClient, createSqsClient } from '../aws/clients.js';
import { createFeeder } from '../engine/feeder.js';
import { SERVICE_NAME, type EngineLogger, type EngineMetrics } from '../engine/observability.js';
import { ENGINE_SETTING_SPECS, readEngineSettings } from '../engine/settings.js';
import { SETTING_SPECS } from '../domain/settings.js';
import {
  createLocalGraphqlEngine,
  type LocalGraphqlEngine,
  type LocalIamCredentials,
} from '@precise-scheduler/appsync-local';
import {
  startDispatcherThread,
  type DispatcherThread,
  type FiredSample,
} from './lambda/dispatcher-thread.js';
import { SCHEMA_FILE } from './resolver-bundles.js';
import type { LocalQueues } from './services.js';

export type { FiredSample } from './lambda/dispatcher-thread.js';

export { ensureResolverBundles } from './resolver-bundles.js';

/**
 * Local defaults that differ from the cloud's: a shard without a watermark exists only in a
 * fresh data directory, which holds nothing older than a few minutes, so the first pass need
 * not read a whole day of empty buckets.
 */
export const LOCAL_SETTING_DEFAULTS: Readonly<Record<string, string>> = {
  INITIAL_LOOKBACK_SECONDS: '900',
};

/** The settings variables a deployment may set, from process.env with overrides on top. */
export function settingsEnv(
  overrides: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = { ...LOCAL_SETTING_DEFAULTS, ...defaults };
  for (const { env: name } of [...SETTING_SPECS, ...ENGINE_SETTING_SPECS]) {
    const value = overrides[name] ?? process.env[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  return env;
}

/** Engine logs locally: Powertools JSON lines, warnings and errors only, none when quiet. */
function engineLogger(quiet: boolean): EngineLogger {
  return new Logger({ serviceName: SERVICE_NAME, logLevel: quiet ? 'SILENT' : 'WARN' });
}

/** Locally the metrics are not shipped anywhere; lateness is kept through `onFired` instead. */
const NO_METRICS: EngineMetrics = {
  count: () => undefined,
  milliseconds: () => undefined,
  seconds: () => undefined,
  flush: () => undefined,
};

/** What the product needs from the local stack. */
export interface ProductConfig {
  readonly manifestDir: string;
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  readonly tableName: string;
  readonly queues: LocalQueues;
  readonly settingsEnv: Readonly<Record<string, string>>;
  readonly iamCredentials: LocalIamCredentials;
  readonly quiet: boolean;
  /** Signs pagination tokens; stable per data directory so tokens survive a restart. */
  readonly nextTokenSecret: string;
  /** How the delay queue was created: the dispatcher and feeder must agree with it. */
  readonly delayQueue: {
    readonly visibilityTimeoutSeconds: number;
    readonly maxReceiveCount: number;
  };
}

/** The product's parts, wired to the local services. */
export interface Product {
  readonly engine: LocalGraphqlEngine;
  /**
   * Wires the firing engine once the endpoint's URL is known (the dispatcher publishes to it).
   * The first feeder pass recovers after a restart (see `Feeder.recoverAfterRestart`).
   */
  startFiring(
    graphqlUrl: string,
    onFired: (sample: FiredSample) => void,
  ): { startDispatcher: StartDispatcher; runFeederPass: () => Promise<void> };
  /** Asks a feeder pass in flight to stop at its next page, as at a Lambda timeout. */
  interruptFeeder(): void;
  stop(): Promise<void>;
}

/** How the dispatcher's event source mapping polls, and where its warnings go. */
export interface DispatcherSourceOptions {
  readonly pollers: number;
  readonly waitTimeSeconds: number;
  /** The handler's deadline, as the function timeout. */
  readonly timeoutMs: number;
  readonly onWarning: (message: string, error: string) => void;
}

/** Starts the dispatcher pollers and handler in their own thread (see dispatcher-thread.ts). */
export type StartDispatcher = (options: DispatcherSourceOptions) => Promise<DispatcherThread>;

/** Creates the GraphQL engine and, on demand, the feeder and dispatcher, over shared clients. */
export async function wireProduct(config: ProductConfig): Promise<Product> {
  // A claim is stale once SQS would have redelivered its message; the receive count is the
  // queue's own, so it is not a setting here.
  const env = {
    ...settingsEnv(config.settingsEnv, {
      CLAIM_STALE_SECONDS: String(config.delayQueue.visibilityTimeoutSeconds),
    }),
    MAX_RECEIVE_COUNT: String(config.delayQueue.maxReceiveCount),
  };
  const settings = readEngineSettings(env);
  const dynamo = createDynamoClient({ dynamoEndpoint: config.dynamoEndpoint });
  const sqs = createSqsClient({ sqsEndpoint: config.sqsEndpoint });
  const engine = await createLocalGraphqlEngine({
    schemaFile: SCHEMA_FILE,
    manifestDir: config.manifestDir,
    env: { ...env, DELAY_QUEUE_URL: config.queues.delayQueueUrl, TABLE_NAME: config.tableName },
    dataSources: {
      schedules: { type: 'AMAZON_DYNAMODB', tableName: config.tableName, client: dynamo },
      delayQueue: {
        type: 'HTTP',
        endpoint: config.sqsEndpoint,
        signing: { service: 'sqs', region: 'us-east-1', credentials: config.iamCredentials },
      },
      none: { type: 'NONE' },
    },
    nextTokenSecret: config.nextTokenSecret,
    defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS',
    additionalAuthModes: ['API_KEY', 'AWS_IAM'],
  });
  let interrupted = false;
  const common = {
    settings,
    logger: engineLogger(config.quiet),
    metrics: NO_METRICS,
    dynamo,
    sqs,
    tableName: config.tableName,
    delayQueueUrl: config.queues.delayQueueUrl,
  };
  return {
    engine,
    startFiring: (graphqlUrl, onFired) => {
      const startDispatcher: StartDispatcher = (source) =>
        startDispatcherThread(
          {
            dynamoEndpoint: config.dynamoEndpoint,
            sqsEndpoint: config.sqsEndpoint,
            tableName: config.tableName,
            delayQueueUrl: config.queues.delayQueueUrl,
            outputQueueUrl: config.queues.outputQueueUrl,
            graphqlUrl,
            iamCredentials: {
              accessKeyId: config.iamCredentials.accessKeyId,
              secretAccessKey: config.iamCredentials.secretAccessKey,
            },
            settingsEnv: env,
            quiet: config.quiet,
            pollers: source.pollers,
            waitTimeSeconds: source.waitTimeSeconds,
            timeoutMs: source.timeoutMs,
          },
          { onFired, onWarning: source.onWarning },
        );
      const feeder = createFeeder({
        ...common,
        remainingTimeMs: () => (interrupted ? 0 : Number.POSITIVE_INFINITY),
      });
      // fauxqs keeps its queues in memory while dynalite keeps the table: the first pass of a
      // process re-hands-over everything the table says is queued or claimed, at once.
      let recovered = false;
      const runFeederPass = async () => {
        if (recovered) {
          await feeder.runAllShards();
          return;
        }
        const reports = await feeder.recoverAfterRestart();
        recovered = reports.every((report) => report.complete);
      };
      return { startDispatcher, runFeederPass };
    },
    interruptFeeder: () => {
      interrupted = true;
    },
    stop: async () => {
      await engine.close();
      dynamo.destroy();
      sqs.destroy();
    },
  };
}
