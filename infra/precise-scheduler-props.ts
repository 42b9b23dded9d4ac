import type { RemovalPolicy } from 'aws-cdk-lib';
import type { FieldLogLevel } from 'aws-cdk-lib/aws-appsync';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';

/** Properties of {@link PreciseScheduler}; every one is optional. */
export interface PreciseSchedulerProps {
  /**
   * Prefix of the physical names (table, queues, functions, API, user pool, alarms); letters,
   * digits and hyphens, starting with a letter, at most 32 characters.
   * @default none: CloudFormation generates the names, so several stacks can share an account
   */
  readonly namePrefix?: string;
  /** Shards per time bucket (SHARD_COUNT); only ever raise it. @default 4 */
  readonly shardCount?: number;
  /** Width of a time bucket in seconds, whole minutes (BUCKET_WIDTH_SECONDS). @default 300 */
  readonly bucketWidthSeconds?: number;
  /** Schedules due within this many seconds go straight to SQS, at most 900. @default 900 */
  readonly fastPathHorizonSeconds?: number;
  /** How far ahead a schedule may be due, in seconds. @default 315360000 (10 years) */
  readonly maxHorizonSeconds?: number;
  /** How far in the past a due time is still accepted, in ms. @default 30000 */
  readonly pastToleranceMs?: number;
  /** Largest payload in UTF-8 bytes. @default 65536 */
  readonly maxPayloadBytes?: number;
  /** Days fired and cancelled schedules stay readable before TTL removes them. @default 7 */
  readonly finishedRetentionDays?: number;
  /** How far past now the feeder reads each minute, in seconds (60 to 900). @default 180 */
  readonly lookaheadSeconds?: number;
  /** How long a handed-over schedule may be overdue before the feeder re-sends it. @default 60 */
  readonly strandedGraceSeconds?: number;
  /** Most delay-queue messages per dispatcher invocation (1 to 10000). @default 10 */
  readonly dispatcherBatchSize?: number;
  /** Longest wait to fill a dispatcher batch, in seconds (0 to 300). @default 0 */
  readonly dispatcherMaxBatchingWindowSeconds?: number;
  /**
   * Most dispatcher invocations the delay queue's event source runs at once (2 to 1000), to keep
   * the dispatcher from taking the account's whole Lambda concurrency in a burst; messages wait
   * in the queue meanwhile. @default no limit (the account's unreserved concurrency)
   */
  readonly dispatcherMaxConcurrency?: number;
  /** Dispatcher timeout in seconds; the delay queue's visibility timeout is six times it. @default 30 */
  readonly dispatcherTimeoutSeconds?: number;
  /** Feeder timeout in seconds; a run stops cleanly before it. @default 60 */
  readonly feederTimeoutSeconds?: number;
  /** Receives before a message moves to its dead-letter queue (1 to 1000). @default 5 */
  readonly maxReceiveCount?: number;
  /** Days messages stay in the queues and dead-letter queues (1 to 14). @default 14 */
  readonly messageRetentionDays?: number;
  /** Refuse deletion of the table (DynamoDB deletion protection). @default true */
  readonly deletionProtection?: boolean;
  /**
   * What happens to the table and the created user pool when they leave the stack (or the stack
   * is deleted). DESTROY needs `deletionProtection: false`: DynamoDB would refuse the deletion.
   * @default the table: RemovalPolicy.RETAIN while deletionProtection is on, else
   * RemovalPolicy.DESTROY; the user pool: RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Customer managed key for the table and the queues. @default AWS managed (DynamoDB) and SQS managed (SQS) keys */
  readonly encryptionKey?: IKey;
  /**
   * An existing Cognito user pool to authenticate users with (the API's default auth mode; IAM is
   * always on as an extra mode, for the dispatcher). At most one of userPool and userPoolId.
   * @default a new user pool
   */
  readonly userPool?: IUserPool;
  /** Id of an existing Cognito user pool, as `cdk deploy -c userPoolId=...` passes it. @default a new user pool */
  readonly userPoolId?: string;
  /** Adds an API key valid for this many days (1 to 365) as an extra auth mode. @default no API key */
  readonly apiKeyExpiresInDays?: number;
  /** AppSync field-level log level. @default FieldLogLevel.ERROR */
  readonly fieldLogLevel?: FieldLogLevel;
  /** Log request and response contents (payloads included) in the AppSync logs. @default false */
  readonly verboseApiLogs?: boolean;
  /** Retention of the API and function log groups. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Service name of the engine functions' logs and metrics (POWERTOOLS_SERVICE_NAME, the
   * `service` metric dimension the lateness alarm names). @default 'precise-scheduler'
   */
  readonly serviceName?: string;
  /** CloudWatch namespace of the engine functions' metrics (POWERTOOLS_METRICS_NAMESPACE). @default 'PreciseScheduler' */
  readonly metricsNamespace?: string;
  /** Alarm when p99 lateness over a minute exceeds this many ms, three minutes running. @default 1000 */
  readonly latenessP99AlarmMs?: number;
  /** Alarm when the oldest delay-queue message is older than this (seconds). @default 1200 */
  readonly oldestMessageAgeAlarmSeconds?: number;
  /** Topic notified when an alarm fires or clears. @default alarms without actions */
  readonly alarmTopic?: ITopic;
  /**
   * Name of the AppSync API. @default `<namePrefix>-api` with a prefix, else a name unique to
   * this construct's path in the app
   */
  readonly apiName?: string;
  /**
   * Folder of prebuilt assets (schema, resolver bundles and manifest, handler bundles) in the
   * layout of `buildAssets` (infra/assets.ts). @default the assets shipped beside this module
   */
  readonly assetsDir?: string;
}
