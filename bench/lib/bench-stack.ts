import type { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { startHttpMeter, type HttpMeter } from './http-meter.js';
import {
  createBenchSqsClient,
  createFiringLog,
  observeOutputQueue,
  observeSubscription,
  type FiringLog,
} from './observers.js';
import { startSdkMeter, type SdkMeter } from './sdk-meter.js';

/** The local stack under test, with both delivery channels observed and every call metered. */
export interface BenchStack {
  readonly stack: LocalStack;
  readonly log: FiringLog;
  readonly http: HttpMeter;
  readonly sdk: SdkMeter;
  /** The bench's own SQS client (its calls are not metered). */
  readonly sqs: SQSClient;
  close(): Promise<void>;
}

/** How to start the stack for one scenario. */
export interface BenchStackOptions {
  /** Setting overrides, e.g. FAST_PATH_HORIZON_SECONDS. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** @default 60, as in `npm start` */
  readonly feederIntervalSeconds?: number;
  /** Dispatcher pollers. @default the stack's default (32) */
  readonly pollers?: number | undefined;
  /** Observe the subscription and the output queue. @default true */
  readonly observe?: boolean;
}

/**
 * Starts meters, then an in-memory local stack on free ports with quiet logs, then a graphql-ws
 * subscriber and output-queue pollers. The meters start first so they see the stack's clients.
 */
export async function startBenchStack(options: BenchStackOptions = {}): Promise<BenchStack> {
  const http = startHttpMeter();
  const sdk = startSdkMeter();
  const stack = await startLocalStack({
    port: 0,
    memory: true,
    quiet: true,
    feederIntervalSeconds: options.feederIntervalSeconds ?? 60,
    ...(options.pollers === undefined ? {} : { pollers: options.pollers }),
    env: { ...options.env },
  });
  // The start-up pass catches up a day of buckets; measuring starts once it is done.
  await stack.runFeederPass();
  const sqs = createBenchSqsClient(stack.sqsEndpoint);
  sdk.exclude(sqs);
  const log = createFiringLog();
  const observe = options.observe ?? true;
  const wsUrl = stack.graphqlUrl.replace(/^http/, 'ws');
  const subscription = observe ? await observeSubscription(wsUrl, stack.apiKey, log) : undefined;
  const queue = observe ? observeOutputQueue(sqs, stack.outputQueueUrl, log) : undefined;
  return {
    stack,
    log,
    http,
    sdk,
    sqs,
    close: async () => {
      await subscription?.close();
      await queue?.close();
      await stack.stop();
      sqs.destroy();
      sdk.close();
      http.close();
    },
  };
}
