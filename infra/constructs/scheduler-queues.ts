import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link SchedulerQueues}. */
export interface SchedulerQueuesProps {
  /** Prefix of the queue names. @default generated names */
  readonly namePrefix?: string;
  /** Visibility timeout of the delay queue; at least six times the dispatcher's timeout. */
  readonly delayQueueVisibilityTimeout: Duration;
  readonly maxReceiveCount: number;
  readonly retention: Duration;
  /** @default SQS managed encryption */
  readonly encryptionKey?: IKey;
}

/** The delay queue (feeds the dispatcher) and the output queue, each with its dead-letter queue. */
export class SchedulerQueues extends Construct {
  readonly delayQueue: Queue;
  readonly delayDeadLetterQueue: Queue;
  readonly outputQueue: Queue;
  readonly outputDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SchedulerQueuesProps) {
    super(scope, id);
    const encryption =
      props.encryptionKey === undefined
        ? { encryption: QueueEncryption.SQS_MANAGED }
        : { encryption: QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey };
    const common = {
      ...encryption,
      enforceSSL: true,
      retentionPeriod: props.retention,
      removalPolicy: RemovalPolicy.DESTROY,
    };
    const name = (suffix: string) =>
      props.namePrefix === undefined ? undefined : `${props.namePrefix}-${suffix}`;

    this.delayDeadLetterQueue = new Queue(this, 'DelayDeadLetterQueue', {
      ...common,
      queueName: name('delay-dlq'),
    });
    this.delayQueue = new Queue(this, 'DelayQueue', {
      ...common,
      queueName: name('delay'),
      visibilityTimeout: props.delayQueueVisibilityTimeout,
      deadLetterQueue: { queue: this.delayDeadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
    this.outputDeadLetterQueue = new Queue(this, 'OutputDeadLetterQueue', {
      ...common,
      queueName: name('output-dlq'),
    });
    this.outputQueue = new Queue(this, 'OutputQueue', {
      ...common,
      queueName: name('output'),
      deadLetterQueue: {
        queue: this.outputDeadLetterQueue,
        maxReceiveCount: props.maxReceiveCount,
      },
    });
  }

  /** The dead-letter queues by label, for alarms. */
  get deadLetterQueues(): Readonly<Record<string, Queue>> {
    return { delay: this.delayDeadLetterQueue, output: this.outputDeadLetterQueue };
  }
}
