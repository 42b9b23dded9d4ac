import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type CfnResource } from 'aws-cdk-lib';
import { FieldLogLevel } from 'aws-cdk-lib/aws-appsync';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { settingsEnvironment } from '../src/domain/settings.js';
import { RESOLVER_BUILD_DIR } from '../src/resolver-manifest.js';
import { ManifestResolvers } from './constructs/manifest-resolvers.js';
import { SchedulerAlarms } from './constructs/scheduler-alarms.js';
import { SchedulerApi } from './constructs/scheduler-api.js';
import { SchedulerEngine } from './constructs/scheduler-engine.js';
import { SchedulerQueues } from './constructs/scheduler-queues.js';
import { ScheduleTable } from './constructs/schedule-table.js';
import { acceptFindings, type AcceptedFinding } from './nag-suppressions.js';
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
import type { HandlerSources, SchedulerStackProps } from './scheduler-stack-props.js';

/** The repository root, where schema.graphql, functions/ and package-lock.json live. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The handlers under functions/ that the stack deploys by default. */
export const DEFAULT_HANDLERS: HandlerSources = {
  projectRoot: PROJECT_ROOT,
  trigger: path.join(PROJECT_ROOT, 'functions/trigger/handler.ts'),
  feeder: path.join(PROJECT_ROOT, 'functions/feeder/handler.ts'),
  dispatcher: path.join(PROJECT_ROOT, 'functions/dispatcher/handler.ts'),
};

/**
 * The scheduler on AWS: table, queues, the AppSync API with the manifest's JS resolvers, the
 * engine Lambdas, alarms and outputs. See {@link SchedulerStackProps} for the knobs.
 */
export class SchedulerStack extends Stack {
  readonly table: ScheduleTable;
  readonly queues: SchedulerQueues;
  readonly api: SchedulerApi;
  readonly resolvers: ManifestResolvers;
  readonly engine: SchedulerEngine;
  readonly alarms: SchedulerAlarms;
  /** The cdk-nag findings this stack accepts, each with its reason. */
  readonly acceptedFindings: readonly AcceptedFinding[];

  constructor(scope: Construct, id: string, props: SchedulerStackProps = {}) {
    super(scope, id, props);
    const config = resolveSchedulerConfig(props);
    const schemaFile = path.join(PROJECT_ROOT, 'schema.graphql');
    const loaded = loadCheckedManifest(props.resolverManifestDir, schemaFile);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    this.table = new ScheduleTable(this, 'Schedules', {
      tableName: physicalName(config, 'schedules'),
      deletionProtection: props.deletionProtection ?? true,
      encryptionKey: props.encryptionKey,
    });
    this.queues = new SchedulerQueues(this, 'Queues', {
      namePrefix: config.namePrefix,
      // AWS's guidance for SQS event sources: at least six times the function's timeout.
      delayQueueVisibilityTimeout: Duration.seconds(delayQueueVisibilitySeconds(config)),
      maxReceiveCount: config.maxReceiveCount,
      retention: Duration.days(config.messageRetentionDays),
      encryptionKey: props.encryptionKey,
    });
    this.api = new SchedulerApi(this, 'Api', {
      schemaFile,
      apiName: physicalName(config, 'api'),
      userPoolId: props.userPoolId,
      userPoolName: physicalName(config, 'users'),
      apiKeyExpiresInDays: config.apiKeyExpiresInDays,
      fieldLogLevel: props.fieldLogLevel ?? FieldLogLevel.ERROR,
      verboseLogs: props.verboseApiLogs ?? false,
      logRetention,
      environmentVariables: resolverEnvironment(config, this.queues.delayQueue.queueUrl),
    });
    this.resolvers = new ManifestResolvers(this, 'Resolvers', {
      api: this.api.api,
      loaded,
      table: this.table.table,
      delayQueue: this.queues.delayQueue,
    });
    this.engine = new SchedulerEngine(this, 'Engine', {
      config,
      handlers: props.handlers ?? DEFAULT_HANDLERS,
      table: this.table.table,
      delayQueue: this.queues.delayQueue,
      outputQueue: this.queues.outputQueue,
      api: this.api.api,
      logRetention,
    });
    this.alarms = new SchedulerAlarms(this, 'Alarms', {
      ...alarmSettings(config),
      deadLetterQueues: this.queues.deadLetterQueues,
      delayQueue: this.queues.delayQueue,
      feeder: this.engine.feeder.function,
      alarmTopic: props.alarmTopic,
    });
    this.addOutputs();
    this.acceptedFindings = this.acceptNagFindings(props.userPoolId === undefined);
  }

  /** Acknowledges, with reasons, the cdk-nag findings of the resources above. */
  private acceptNagFindings(createdUserPool: boolean): AcceptedFinding[] {
    return acceptFindings({
      stack: this,
      table: this.table.table,
      userPool: createdUserPool ? this.api.userPool : undefined,
      api: this.api.api,
      apiLogsRole: this.api.logsRole,
      apiResource: this.api.api.node.defaultChild as CfnResource,
      tableUsers: [this.engine.feeder, this.engine.dispatcher, ...this.resolvers.tableSources],
      tracedFunctions: [this.engine.trigger, this.engine.feeder, this.engine.dispatcher],
    });
  }

  private addOutputs(): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('GraphqlUrl', this.api.api.graphqlUrl, 'AppSync GraphQL endpoint (HTTPS)');
    output(
      'RealtimeUrl',
      this.api.realtimeUrl,
      'AppSync real-time endpoint for subscriptions (WSS)',
    );
    output(
      'OutputQueueUrl',
      this.queues.outputQueue.queueUrl,
      'SQS queue receiving fired payloads',
    );
    output('UserPoolId', this.api.userPool.userPoolId, 'Cognito user pool of the API users');
    output(
      'UserPoolClientId',
      this.api.userPoolClient.userPoolClientId,
      'Cognito app client for web and mobile clients',
    );
    output('Region', this.region, 'Region of the API, for Amplify.configure');
  }
}

/** The resolver manifest, checked against the schema before anything is created. */
function loadCheckedManifest(dir: string | undefined, schemaFile: string): LoadedManifest {
  const loaded = loadResolverManifest(dir ?? path.join(PROJECT_ROOT, RESOLVER_BUILD_DIR));
  checkManifestAgainstSchema(loaded.manifest, readFileSync(schemaFile, 'utf8'));
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

/** ctx.env of the resolvers: the delay queue and every setting they validate against. */
function resolverEnvironment(
  config: SchedulerConfig,
  delayQueueUrl: string,
): Record<string, string> {
  return { DELAY_QUEUE_URL: delayQueueUrl, ...settingsEnvironment(config.settings) };
}
