import { readFileSync } from 'node:fs';
import { Duration, Names, RemovalPolicy, type CfnResource } from 'aws-cdk-lib';
import { FieldLogLevel, type GraphqlApi } from 'aws-cdk-lib/aws-appsync';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { settingsEnvironment } from '../src/domain/settings.js';
import { checkedAssetPaths, locateAssetsDir, type AssetPaths } from './assets.js';
import { ManifestResolvers } from './constructs/manifest-resolvers.js';
import { SchedulerAlarms } from './constructs/scheduler-alarms.js';
import { SchedulerApi } from './constructs/scheduler-api.js';
import { SchedulerEngine } from './constructs/scheduler-engine.js';
import { SchedulerQueues } from './constructs/scheduler-queues.js';
import { ScheduleTable } from './constructs/schedule-table.js';
import { acceptFindings, type AcceptedFinding } from './nag-suppressions.js';
import type { PreciseSchedulerProps } from './precise-scheduler-props.js';
import {
  checkManifestAgainstSchema,
  loadResolverManifest,
  type LoadedManifest,
} from './resolver-manifest-loader.js';
import {
  delayQueueVisibilitySeconds,
  physicalName,
  resolveSchedulerConfig,
  type SchedulerConfig,
} from './scheduler-config.js';

/**
 * The scheduler on AWS, to place in any stack: the schedules table, the delay and output queues
 * with their dead-letter queues, the AppSync API with the JS resolvers, the trigger, feeder and
 * dispatcher Lambdas, and alarms. It deploys prebuilt assets (see infra/assets.ts) and accepts,
 * with reasons, the cdk-nag findings of its own resources. See {@link PreciseSchedulerProps}.
 *
 * @example
 * const scheduler = new PreciseScheduler(this, 'Scheduler', { shardCount: 8 });
 * scheduler.outputQueue.grantConsumeMessages(consumer);
 */
export class PreciseScheduler extends Construct {
  /** The AppSync API: Cognito user pools by default, IAM (and optionally an API key) besides. */
  readonly api: GraphqlApi;
  /** `https://<id>.appsync-api.<region>.amazonaws.com/graphql`. */
  readonly graphqlUrl: string;
  /** The `wss://` real-time endpoint for subscriptions. */
  readonly realtimeUrl: string;
  /** The user pool of the API's users: created, or the one passed in. */
  readonly userPool: IUserPool;
  /** An app client without a secret (SRP sign-in) for web and mobile clients. */
  readonly userPoolClient: UserPoolClient;
  /** The schedules table. */
  readonly table: Table;
  /** The queue whose message delays carry schedules to the dispatcher. */
  readonly delayQueue: Queue;
  /** Where delay-queue messages go after `maxReceiveCount` failed receives. */
  readonly delayDeadLetterQueue: Queue;
  /** Fired payloads, for back-end consumers: grant them `grantConsumeMessages`. */
  readonly outputQueue: Queue;
  /** Where output-queue messages go after `maxReceiveCount` receives without a delete. */
  readonly outputDeadLetterQueue: Queue;
  /** Runs every minute and starts one feeder run per shard. */
  readonly triggerFunction: LambdaFunction;
  /** Hands schedules due soon to the delay queue, and re-sends stranded ones. */
  readonly feederFunction: LambdaFunction;
  /** Claims and delivers schedules as the delay queue releases them. */
  readonly dispatcherFunction: LambdaFunction;
  /** The alarms on dead letters, feeder errors, delay-queue age and lateness. */
  readonly alarms: readonly Alarm[];
  /** The cdk-nag findings this construct accepts, each with its reason. */
  readonly acceptedFindings: readonly AcceptedFinding[];

  constructor(scope: Construct, id: string, props: PreciseSchedulerProps = {}) {
    super(scope, id);
    const config = resolveSchedulerConfig(props);
    const removalPolicies = resolveRemovalPolicies(props);
    checkUserPoolProps(props);
    const assets = checkedAssetPaths(props.assetsDir ?? locateAssetsDir());
    const loaded = loadCheckedManifest(assets);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    const table = new ScheduleTable(this, 'Schedules', {
      tableName: physicalName(config, 'schedules'),
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: removalPolicies.table,
      encryptionKey: props.encryptionKey,
    });
    const queues = new SchedulerQueues(this, 'Queues', {
      namePrefix: config.namePrefix,
      // AWS's guidance for SQS event sources: at least six times the function's timeout.
      delayQueueVisibilityTimeout: Duration.seconds(delayQueueVisibilitySeconds(config)),
      maxReceiveCount: config.maxReceiveCount,
      retention: Duration.days(config.messageRetentionDays),
      encryptionKey: props.encryptionKey,
    });
    const api = new SchedulerApi(this, 'Api', {
      schemaFile: assets.schemaFile,
      apiName: props.apiName ?? physicalName(config, 'api') ?? this.uniqueName(),
      userPool: props.userPool,
      userPoolId: props.userPoolId,
      userPoolName: physicalName(config, 'users'),
      userPoolRemovalPolicy: removalPolicies.userPool,
      apiKeyExpiresInDays: config.apiKeyExpiresInDays,
      fieldLogLevel: props.fieldLogLevel ?? FieldLogLevel.ERROR,
      verboseLogs: props.verboseApiLogs ?? false,
      logRetention,
      environmentVariables: resolverEnvironment(
        config,
        queues.delayQueue.queueUrl,
        table.table.tableName,
      ),
    });
    const resolvers = new ManifestResolvers(this, 'Resolvers', {
      api: api.api,
      loaded,
      table: table.table,
      delayQueue: queues.delayQueue,
    });
    const engine = new SchedulerEngine(this, 'Engine', {
      config,
      functionDirs: assets.functionDirs,
      table: table.table,
      delayQueue: queues.delayQueue,
      outputQueue: queues.outputQueue,
      api: api.api,
      logRetention,
    });
    const alarms = new SchedulerAlarms(this, 'Alarms', {
      ...alarmSettings(config),
      deadLetterQueues: queues.deadLetterQueues,
      delayQueue: queues.delayQueue,
      feeder: engine.feeder.function,
      alarmTopic: props.alarmTopic,
    });

    this.api = api.api;
    this.graphqlUrl = api.api.graphqlUrl;
    this.realtimeUrl = api.realtimeUrl;
    this.userPool = api.userPool;
    this.userPoolClient = api.userPoolClient;
    this.table = table.table;
    this.delayQueue = queues.delayQueue;
    this.delayDeadLetterQueue = queues.delayDeadLetterQueue;
    this.outputQueue = queues.outputQueue;
    this.outputDeadLetterQueue = queues.outputDeadLetterQueue;
    this.triggerFunction = engine.trigger.function;
    this.feederFunction = engine.feeder.function;
    this.dispatcherFunction = engine.dispatcher.function;
    this.alarms = alarms.alarms;
    this.acceptedFindings = acceptFindings({
      scope: this,
      table: table.table,
      userPool:
        props.userPool === undefined && props.userPoolId === undefined ? api.userPool : undefined,
      api: api.api,
      apiLogsRole: api.logsRole,
      apiResource: api.api.node.defaultChild as CfnResource,
      tableUsers: [engine.feeder, engine.dispatcher, ...resolvers.tableSources],
      tracedFunctions: [engine.trigger, engine.feeder, engine.dispatcher],
    });
  }

  /** A name unique to this construct's path, so two schedulers in one account do not clash. */
  private uniqueName(): string {
    return Names.uniqueResourceName(this, { maxLength: 50, separator: '-' });
  }
}

/** What happens to the table and the created user pool on removal; see the prop's defaults. */
function resolveRemovalPolicies(props: PreciseSchedulerProps) {
  const protectedTable = props.deletionProtection ?? true;
  const table =
    props.removalPolicy ?? (protectedTable ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
  if (table === RemovalPolicy.SNAPSHOT) {
    throw new Error(
      `PreciseScheduler: removalPolicy must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY; DynamoDB tables and user pools take no snapshot. Received: ${table}`,
    );
  }
  if (table === RemovalPolicy.DESTROY && protectedTable) {
    throw new Error(
      `PreciseScheduler: removalPolicy DESTROY needs deletionProtection: false, or DynamoDB refuses to delete the table. Received: removalPolicy ${table} with deletionProtection true`,
    );
  }
  // Users are kept unless asked otherwise, even where the table goes.
  return { table, userPool: props.removalPolicy ?? RemovalPolicy.RETAIN };
}

/** The user pool comes from one place. */
function checkUserPoolProps(props: PreciseSchedulerProps): void {
  if (props.userPool !== undefined && props.userPoolId !== undefined) {
    throw new Error(
      `PreciseScheduler: pass userPool or userPoolId, not both. Received: userPoolId ${props.userPoolId} beside a userPool`,
    );
  }
}

/** The resolver manifest, checked against the schema before anything is created. */
function loadCheckedManifest(assets: AssetPaths): LoadedManifest {
  const loaded = loadResolverManifest(assets.resolversDir);
  checkManifestAgainstSchema(loaded.manifest, readFileSync(assets.schemaFile, 'utf8'));
  return loaded;
}

/** Names and thresholds of the alarms. */
function alarmSettings(config: SchedulerConfig) {
  return {
    metricsNamespace: config.metricsNamespace,
    serviceName: config.serviceName,
    latenessP99AlarmMs: config.latenessP99AlarmMs,
    oldestMessageAgeAlarmSeconds: config.oldestMessageAgeAlarmSeconds,
    namePrefix: config.namePrefix,
  };
}

/**
 * ctx.env of the resolvers: the delay queue, the table (batch operations name their tables) and
 * every setting they validate against.
 */
function resolverEnvironment(
  config: SchedulerConfig,
  delayQueueUrl: string,
  tableName: string,
): Record<string, string> {
  return {
    DELAY_QUEUE_URL: delayQueueUrl,
    TABLE_NAME: tableName,
    ...settingsEnvironment(config.settings),
  };
}
