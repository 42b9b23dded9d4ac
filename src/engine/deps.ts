import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FiredEventSink } from '../aws/output-queue.js';
import type { EngineLogger, EngineMetrics } from './observability.js';
import type { EngineSettings } from './settings.js';

/** Epoch milliseconds now; injectable so tests and the local stack can shift time. */
export type Clock = () => number;

/** What every engine handler gets: resolved settings, logging, metrics and a clock. */
export interface CommonDeps {
  readonly settings: EngineSettings;
  /** @default a Powertools Logger */
  readonly logger?: EngineLogger;
  /** @default Powertools EMF metrics */
  readonly metrics?: EngineMetrics;
  /** @default Date.now */
  readonly clock?: Clock;
}

/** Dependencies of the feeder. */
export interface FeederDeps extends CommonDeps {
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly tableName: string;
  readonly delayQueueUrl: string;
  /**
   * Milliseconds left before the run must end, when there is no Lambda context (the local
   * stack). @default feederMaxRunSeconds from the run's start
   */
  readonly remainingTimeMs?: () => number;
}

/** Dependencies of the dispatcher. */
export interface DispatcherDeps extends CommonDeps {
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly tableName: string;
  /** Early messages are re-sent here with a new delay. */
  readonly delayQueueUrl: string;
  readonly outputQueueUrl: string;
  /** Announces fired schedules (the IAM-signed AppSync mutation). */
  readonly publisher: FiredEventSink;
  /** Replaces the output queue sink built from `outputQueueUrl` (fault-injection tests). */
  readonly output?: FiredEventSink;
}

/** Dependencies of the fan-out trigger. */
export interface TriggerDeps extends CommonDeps {
  /** Starts one feeder run for a shard (cloud: async Lambda invoke; local: a direct call). */
  readonly startFeeder: (shard: number) => Promise<unknown>;
}
