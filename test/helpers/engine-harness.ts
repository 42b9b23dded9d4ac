/*
 * The firing engine over real dynalite and fauxqs: the real feeder and dispatcher handlers, fed
 * with AWS-shaped SQS events built from ReceiveMessage results, as Lambda's event source would.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { AppSyncPublisher } from '../../src/aws/appsync-publisher.js';
import { createDynamoClient, createSqsClient } from '../../src/aws/clients.js';
import { OutputQueue, type FiredEventSink } from '../../src/aws/output-queue.js';
import { queueArnFromUrl, sqsEventFromMessages } from '../../src/aws/sqs-event.js';
import type { DispatcherDeps, FeederDeps } from '../../src/engine/deps.js';
import { makeDispatcherHandler } from '../../src/engine/dispatcher.js';
import { createFeeder, type Feeder } from '../../src/engine/feeder.js';
import type { FiredEvent } from '../../src/engine/fired-event.js';
import { MemoryMetrics, MetricName, type EngineLogger } from '../../src/engine/observability.js';
import { readEngineSettings, type EngineSettings } from '../../src/engine/settings.js';
import {
  startAppSyncRecorder,
  TEST_SIGNING_CREDENTIALS,
  type AppSyncRecorder,
} from './engine-appsync-recorder.js';
import type { ScheduleTarget } from './engine-schedules.js';
import { startTestServices, type TestServices } from './local-services.js';

/** Settings for engine tests: 3 shards, 1-minute buckets, short grace. */
export const ENGINE_TEST_ENV: Readonly<Record<string, string>> = {
  SHARD_COUNT: '3',
  BUCKET_WIDTH_SECONDS: '60',
  LOOKAHEAD_SECONDS: '60',
  STRANDED_GRACE_SECONDS: '5',
  CLAIM_STALE_SECONDS: '5',
  INITIAL_LOOKBACK_SECONDS: '600',
};

/** One line the engine logged. */
export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

/** An engine logger that keeps every line in memory, for tests that assert on logs. */
function memoryLogger(lines: LoggedLine[]): EngineLogger {
  const at =
    (level: LoggedLine['level']) =>
    (message: unknown, ...extra: unknown[]) => {
      const attributes = Object.assign({}, ...extra.filter((e) => typeof e === 'object')) as Record<
        string,
        unknown
      >;
      lines.push({ level, message: String(message), attributes });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  } as EngineLogger;
}

/** A running engine with its services, clients and recorders. */
export interface EngineHarness {
  readonly services: TestServices;
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly settings: EngineSettings;
  readonly target: ScheduleTarget;
  readonly recorder: AppSyncRecorder;
  readonly metrics: MemoryMetrics;
  /** Every line the feeder and dispatcher logged. */
  readonly logs: LoggedLine[];
  readonly feeder: Feeder;
  readonly feederDeps: FeederDeps;
  readonly dispatch: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** Makes the next `count` output-queue sends fail (Infinity: until called again with 0). */
  failNextOutput(count: number): void;
  /** Receives up to 10 delay-queue messages (long poll `waitSeconds`) without dispatching them. */
  receive(waitSeconds?: number): Promise<Message[]>;
  /** Dispatches received messages as one SQS event; deletes the ones that did not fail. */
  dispatchMessages(messages: readonly Message[]): Promise<SQSBatchResponse>;
  /** Runs `pollers` receive-dispatch loops (and the feeder every `feederEveryMs`) until `done`. */
  pump(options: PumpOptions): Promise<void>;
  /** Everything on a queue right now, deleted as read (output queue or a DLQ). */
  drain(queueUrl: string): Promise<Message[]>;
  /** Visible + in flight + delayed messages on a queue. */
  depth(queueUrl: string): Promise<number>;
  stop(): Promise<void>;
}

/** How long and how hard `pump` works. */
export interface PumpOptions {
  readonly done: () => boolean | Promise<boolean>;
  readonly timeoutMs: number;
  /** @default 8 */
  readonly pollers?: number;
  /** Runs a feeder pass over all shards this often; none when undefined. */
  readonly feederEveryMs?: number;
}

function flakySink(inner: FiredEventSink): FiredEventSink & { failures: number } {
  const sink = {
    failures: 0,
    send: async (event: FiredEvent) => {
      if (sink.failures > 0) {
        sink.failures -= 1;
        throw new Error('injected output-queue failure');
      }
      await inner.send(event);
    },
  };
  return sink;
}

/** Receive, delete, drain and depth helpers over one SQS client. */
function queueHelpers(sqs: SQSClient, delayQueueUrl: string) {
  const remove = async (queueUrl: string, messages: readonly Message[]) => {
    if (messages.length === 0) return;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  };
  const receiveFrom = async (queueUrl: string, waitSeconds: number) =>
    (
      await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
        }),
      )
    ).Messages ?? [];
  const drain = async (queueUrl: string) => {
    const all: Message[] = [];
    for (;;) {
      const batch = await receiveFrom(queueUrl, 0);
      if (batch.length === 0) return all;
      all.push(...batch);
      await remove(queueUrl, batch);
    }
  };
  const depth = async (queueUrl: string) => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
    );
  };
  return {
    receive: (waitSeconds = 0) => receiveFrom(delayQueueUrl, waitSeconds),
    remove,
    drain,
    depth,
  };
}

/** Receive-dispatch loops and a feeder loop, until `done` or the timeout. */
async function runPump(
  options: PumpOptions,
  engine: {
    receive: (waitSeconds: number) => Promise<Message[]>;
    dispatchMessages: (messages: readonly Message[]) => Promise<SQSBatchResponse>;
    feeder: Feeder;
  },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let finished = false;
  const running = () => !finished && Date.now() < deadline;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const poller = async () => {
    while (running()) {
      const messages = await engine.receive(1);
      if (messages.length > 0) await engine.dispatchMessages(messages);
    }
  };
  const feederLoop = async () => {
    let nextRun = Date.now();
    while (options.feederEveryMs !== undefined && running()) {
      if (Date.now() >= nextRun) {
        nextRun = Date.now() + options.feederEveryMs;
        await engine.feeder.runAllShards();
      }
      await pause(50);
    }
  };
  const watcher = async () => {
    while (running()) {
      if (await options.done()) finished = true;
      else await pause(50);
    }
  };
  const pollers = Array.from({ length: options.pollers ?? 8 }, poller);
  await Promise.all([...pollers, feederLoop(), watcher()]);
}

/** Starts services, recorder and the engine with ENGINE_TEST_ENV plus `env`. */
export async function startEngineHarness(
  options: {
    env?: Readonly<Record<string, string>>;
    maxReceiveCount?: number;
    visibilityTimeoutSeconds?: number;
  } = {},
): Promise<EngineHarness> {
  const services = await startTestServices({
    maxReceiveCount: options.maxReceiveCount ?? 5,
    // Above the longest hold (2 s) plus a busy machine's claim and delivery, as Lambda's is.
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 5,
  });
  const recorder = await startAppSyncRecorder();
  // The dispatcher must know the queue's receive count to report a message's last try.
  const settings = readEngineSettings({
    ...ENGINE_TEST_ENV,
    MAX_RECEIVE_COUNT: String(options.maxReceiveCount ?? 5),
    ...options.env,
  });
  const dynamo = createDynamoClient({ dynamoEndpoint: services.dynamo.endpoint });
  const sqs = createSqsClient({ sqsEndpoint: services.sqs.endpoint });
  const metrics = new MemoryMetrics();
  const logs: LoggedLine[] = [];
  const logger = memoryLogger(logs);
  const output = flakySink(new OutputQueue(sqs, services.outputQueueUrl));
  const common = { settings, logger, metrics, dynamo, sqs, tableName: services.tableName };
  const feederDeps: FeederDeps = { ...common, delayQueueUrl: services.delayQueueUrl };
  const dispatcherDeps: DispatcherDeps = {
    ...feederDeps,
    outputQueueUrl: services.outputQueueUrl,
    output,
    publisher: new AppSyncPublisher({ url: recorder.url, credentials: TEST_SIGNING_CREDENTIALS }),
  };
  const dispatch = makeDispatcherHandler(dispatcherDeps);
  const feeder = createFeeder(feederDeps);
  const delayQueue = {
    queueArn: queueArnFromUrl(services.delayQueueUrl),
    region: 'us-east-1',
  };

  const queues = queueHelpers(sqs, services.delayQueueUrl);
  const dispatchMessages = async (messages: readonly Message[]) => {
    const response = await dispatch(sqsEventFromMessages(messages, delayQueue));
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    await queues.remove(
      services.delayQueueUrl,
      messages.filter((m) => !failed.has(m.MessageId ?? '')),
    );
    return response;
  };
  const pump = (pumpOptions: PumpOptions) =>
    runPump(pumpOptions, { receive: queues.receive, dispatchMessages, feeder });

  return {
    services,
    dynamo,
    sqs,
    settings,
    target: {
      dynamo,
      sqs,
      tableName: services.tableName,
      delayQueueUrl: services.delayQueueUrl,
      settings,
    },
    recorder,
    metrics,
    logs,
    feeder,
    feederDeps,
    dispatch,
    failNextOutput: (count) => {
      output.failures = count;
    },
    receive: queues.receive,
    dispatchMessages,
    pump,
    drain: queues.drain,
    depth: queues.depth,
    stop: async () => {
      dynamo.destroy();
      sqs.destroy();
      await Promise.all([recorder.stop(), services.stop()]);
    },
  };
}

/** The fired events on the output queue, parsed (drains it). */
export async function drainFired(harness: EngineHarness): Promise<FiredEvent[]> {
  const messages = await harness.drain(harness.services.outputQueueUrl);
  return messages.map((m) => JSON.parse(m.Body ?? '{}') as FiredEvent);
}

/** p50/p95/p99/max of a list of numbers (nearest rank). */
export function percentiles(
  values: readonly number[],
): Record<'p50' | 'p95' | 'p99' | 'max', number> {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  return {
    p50: rank(0.5),
    p95: rank(0.95),
    p99: rank(0.99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** The number of schedules the dispatcher has fired so far. */
export function firedCount(harness: EngineHarness): number {
  return harness.metrics.total(MetricName.fired);
}
