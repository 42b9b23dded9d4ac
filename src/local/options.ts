import { resolve } from 'node:path';

/** Options of {@link startLocalStack}; every member has a default suited to `npm start`. */
export interface LocalStackOptions {
  /** Port of the GraphQL endpoint and web console; 0 picks a free one. @default 4000 */
  readonly port?: number;
  /** Host the endpoint listens on. @default "127.0.0.1" */
  readonly host?: string;
  /** Keep nothing on disk: in-memory dynalite, a per-run signing key. @default false */
  readonly memory?: boolean;
  /** Where dynalite's tables and the dev keys persist. @default "./.scheduler-data" */
  readonly dataDir?: string;
  /** Seconds between feeder passes (a first pass runs at start-up). @default 60 */
  readonly feederIntervalSeconds?: number;
  /**
   * Concurrent dispatcher pollers on the delay queue. Each holds its batch until the latest
   * message is due, so bursts need many, as Lambda scales its concurrent batches. @default 32
   */
  readonly pollers?: number;
  /** Visibility timeout of the delay queue, in seconds. @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before a delay-queue message moves to its DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** Long-poll wait of the dispatcher pollers, in seconds (SQS allows up to 20). @default 20 */
  readonly pollWaitSeconds?: number;
  /** The dev API key; @default one generated once per data directory (per run with `memory`) */
  readonly apiKey?: string;
  /** Setting overrides (SHARD_COUNT, FAST_PATH_HORIZON_SECONDS, ...) on top of process.env. */
  readonly env?: Readonly<Record<string, string>>;
  /** Interval of the AppSync real-time keep-alive, in ms. @default 60000 */
  readonly keepAliveMs?: number;
  /** A folder holding built resolver bundles; @default a fresh build for this process */
  readonly manifestDir?: string;
  /** Silence the start-up and activity log lines. @default false */
  readonly quiet?: boolean;
  /**
   * Routes the product's DynamoDB and SQS traffic, and the dispatcher's publish calls to the
   * AppSync endpoint, through the endpoint this returns for each service (e.g. a fault-injection
   * proxy in front of it; `endpoint` is a base URL such as `http://127.0.0.1:4000`).
   * @default direct to dynalite, fauxqs and the endpoint
   */
  readonly interpose?: (
    service: 'dynamodb' | 'sqs' | 'appsync',
    endpoint: string,
  ) => Promise<string>;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<
  Omit<LocalStackOptions, 'apiKey' | 'dataDir' | 'manifestDir' | 'interpose'>
> & {
  readonly apiKey: string | undefined;
  /** Absolute data directory; undefined in memory mode. */
  readonly dataDir: string | undefined;
};

/** The default data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.scheduler-data';

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}; received ${value}`);
  }
  return value;
}

/** Fills in the defaults and checks every number, naming the option and the value received. */
export function resolveOptions(options: LocalStackOptions): ResolvedOptions {
  const memory = options.memory ?? false;
  return {
    port: checkInteger('port', options.port ?? 4000, 0, 65_535),
    host: options.host ?? '127.0.0.1',
    memory,
    dataDir: memory ? undefined : resolve(options.dataDir ?? DEFAULT_DATA_DIR),
    feederIntervalSeconds: checkInteger(
      'feederIntervalSeconds',
      options.feederIntervalSeconds ?? 60,
      1,
      3600,
    ),
    pollers: checkInteger('pollers', options.pollers ?? 32, 1, 48),
    visibilityTimeoutSeconds: checkInteger(
      'visibilityTimeoutSeconds',
      options.visibilityTimeoutSeconds ?? 30,
      1,
      43_200,
    ),
    maxReceiveCount: checkInteger('maxReceiveCount', options.maxReceiveCount ?? 5, 1, 1000),
    pollWaitSeconds: checkInteger('pollWaitSeconds', options.pollWaitSeconds ?? 20, 0, 20),
    apiKey: options.apiKey,
    env: options.env ?? {},
    keepAliveMs: checkInteger('keepAliveMs', options.keepAliveMs ?? 60_000, 100, 300_000),
    quiet: options.quiet ?? false,
  };
}
