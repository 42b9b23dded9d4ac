import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Metric,
  TreatMissingData,
  type IAlarmAction,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MetricName, metricDimensions } from '../../src/engine/observability.js';

/** Properties of {@link SchedulerAlarms}. */
export interface SchedulerAlarmsProps {
  /** Dead-letter queues by a short label, e.g. `{ delay, output }`. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly delayQueue: IQueue;
  readonly feeder: IFunction;
  /** Namespace the handlers write their EMF metrics to (POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
  /** Service the handlers report as (POWERTOOLS_SERVICE_NAME), the `service` dimension. */
  readonly serviceName: string;
  readonly latenessP99AlarmMs: number;
  readonly oldestMessageAgeAlarmSeconds: number;
  /** @default alarms without actions */
  readonly alarmTopic?: ITopic;
  /** Prefix of the alarm names. @default generated names */
  readonly namePrefix?: string;
}

/** Alarms for the failures that make schedules late or lost. */
export class SchedulerAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: SchedulerAlarmsProps) {
    super(scope, id);
    const name = (suffix: string) =>
      props.namePrefix === undefined ? undefined : `${props.namePrefix}-${suffix}`;

    for (const [label, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(`DeadLetters-${label}`, {
        alarmName: name(`${label}-dlq-messages`),
        alarmDescription:
          'Messages are waiting in a dead-letter queue: some schedules failed to fire or deliver.',
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        threshold: 0,
        evaluationPeriods: 1,
      });
    }
    this.add('FeederErrors', {
      alarmName: name('feeder-errors'),
      alarmDescription:
        'The feeder failed; pending schedules may not reach the delay queue in time.',
      metric: props.feeder.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: 0,
      evaluationPeriods: 1,
    });
    this.add('DelayQueueAge', {
      alarmName: name('delay-queue-age'),
      alarmDescription:
        'The oldest delay-queue message has waited longer than the longest SQS delay (900 s) plus processing: the dispatcher is behind.',
      metric: props.delayQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: props.oldestMessageAgeAlarmSeconds,
      evaluationPeriods: 3,
    });
    this.add('LatenessP99', {
      alarmName: name('lateness-p99'),
      alarmDescription: 'p99 lateness of fired schedules is above the threshold.',
      metric: new Metric({
        namespace: props.metricsNamespace,
        metricName: MetricName.latenessMs,
        // The exact set the dispatcher emits: CloudWatch does not match a subset of dimensions.
        dimensionsMap: metricDimensions(props.serviceName, 'dispatcher'),
        statistic: 'p99',
        period: Duration.minutes(1),
      }),
      threshold: props.latenessP99AlarmMs,
      evaluationPeriods: 3,
      // A minute without firings carries no lateness: keep the state. NOT_BREACHING would clear
      // the alarm when firings stop altogether, which is the worst kind of lateness; an idle
      // scheduler stays OK. A dispatcher that stops is caught by the queue-age and DLQ alarms.
      treatMissingData: TreatMissingData.IGNORE,
    });
    if (props.alarmTopic !== undefined) {
      const action: IAlarmAction = new SnsAction(props.alarmTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  private add(
    id: string,
    options: {
      alarmName: string | undefined;
      alarmDescription: string;
      metric: Metric;
      threshold: number;
      evaluationPeriods: number;
      /** @default NOT_BREACHING */
      treatMissingData?: TreatMissingData;
    },
  ): void {
    this.alarms.push(
      new Alarm(this, id, {
        ...options,
        datapointsToAlarm: options.evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        // No data means no messages and no invocations, which is healthy.
        treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
