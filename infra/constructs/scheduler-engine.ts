import { Duration } from 'aws-cdk-lib';
import type { GraphqlApi } from 'aws-cdk-lib/aws-appsync';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EngineFunctionName } from '../assets.js';
import { engineEnvironment, physicalName, type SchedulerConfig } from '../scheduler-config.js';
import { SchedulerFunction } from './scheduler-function.js';

/** Properties of {@link SchedulerEngine}. */
export interface SchedulerEngineProps {
  readonly config: SchedulerConfig;
  /** Folder of each prebuilt handler bundle (see infra/assets.ts). */
  readonly functionDirs: Readonly<Record<EngineFunctionName, string>>;
  readonly table: ITable;
  readonly delayQueue: IQueue;
  readonly outputQueue: IQueue;
  readonly api: GraphqlApi;
  readonly logRetention: RetentionDays;
}

/** The firing engine: trigger (every minute), feeder (per shard) and dispatcher (delay queue). */
export class SchedulerEngine extends Construct {
  readonly trigger: SchedulerFunction;
  readonly feeder: SchedulerFunction;
  readonly dispatcher: SchedulerFunction;

  constructor(scope: Construct, id: string, props: SchedulerEngineProps) {
    super(scope, id);
    const { config } = props;
    const common = { logRetention: props.logRetention };
    const environment = sharedEnvironment(props);

    this.feeder = new SchedulerFunction(this, 'Feeder', {
      ...common,
      codeDir: props.functionDirs.feeder,
      functionName: physicalName(config, 'feeder'),
      timeout: Duration.seconds(config.feederTimeoutSeconds),
      memorySize: 512,
      environment,
    });
    this.trigger = new SchedulerFunction(this, 'Trigger', {
      ...common,
      codeDir: props.functionDirs.trigger,
      functionName: physicalName(config, 'trigger'),
      timeout: Duration.seconds(30),
      environment: { ...environment, FEEDER_FUNCTION_NAME: this.feeder.function.functionName },
    });
    this.dispatcher = new SchedulerFunction(this, 'Dispatcher', {
      ...common,
      codeDir: props.functionDirs.dispatcher,
      functionName: physicalName(config, 'dispatcher'),
      timeout: Duration.seconds(config.dispatcherTimeoutSeconds),
      memorySize: 512,
      environment: { ...environment, APPSYNC_GRAPHQL_URL: props.api.graphqlUrl },
    });
    this.wire(props);
  }

  /** Schedules, event sources and the grants each function needs, and nothing more. */
  private wire(props: SchedulerEngineProps): void {
    const { config } = props;
    const trigger = this.trigger.function;
    const feeder = this.feeder.function;
    const dispatcher = this.dispatcher.function;

    // The trigger invokes the feeder asynchronously, and Lambda's defaults (2 retries, events up
    // to 6 h old, throttled events retried all that time) let a stale pass start while a newer
    // one runs. A pass is only worth running within the minute it was started for: the next
    // minute's pass reads from the saved watermark and catches up whatever this one missed, and
    // FeederErrors alarms on failures. So no retry and the shortest event age Lambda allows.
    feeder.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.seconds(FEEDER_MAX_EVENT_AGE_SECONDS),
    });

    new Rule(this, 'EveryMinute', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(trigger, { retryAttempts: 2 })],
    });
    // Only the function itself: grantInvoke would add its versions and aliases (":*") too.
    trigger.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [feeder.functionArn] }),
    );

    props.table.grantReadWriteData(feeder);
    props.delayQueue.grantSendMessages(feeder);

    dispatcher.addEventSource(
      new SqsEventSource(props.delayQueue, {
        batchSize: config.dispatcherBatchSize,
        maxBatchingWindow: Duration.seconds(config.dispatcherMaxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        maxConcurrency: config.dispatcherMaxConcurrency,
      }),
    );
    props.table.grantReadWriteData(dispatcher);
    props.outputQueue.grantSendMessages(dispatcher);
    // Messages that arrive early are sent back to the delay queue with the remaining delay.
    props.delayQueue.grantSendMessages(dispatcher);
    props.api.grantMutation(dispatcher, 'publishScheduleFired');
  }
}

/** Oldest feeder event Lambda still runs: one trigger interval, Lambda's minimum (60 s). */
export const FEEDER_MAX_EVENT_AGE_SECONDS = 60;

/** Environment variables every engine function reads. */
function sharedEnvironment(props: SchedulerEngineProps): Record<string, string> {
  return {
    TABLE_NAME: props.table.tableName,
    DELAY_QUEUE_URL: props.delayQueue.queueUrl,
    OUTPUT_QUEUE_URL: props.outputQueue.queueUrl,
    ...engineEnvironment(props.config),
  };
}
