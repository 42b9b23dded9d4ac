import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import {
  createLocalResources,
  startLocalDynamo,
  startLocalSqs,
  type LocalDynamo,
  type LocalQueues,
  type LocalSqs,
} from '../../src/local/services.js';

/** dynalite and fauxqs servers over real HTTP, with a fresh table and queues for one suite. */
export interface TestServices extends LocalQueues {
  readonly dynamo: LocalDynamo;
  readonly sqs: LocalSqs;
  readonly tableName: string;
  stop(): Promise<void>;
}

/** A DynamoDB server that several suites share; its owner stops it, not startTestServices. */
const sharedDynamo = new AsyncLocalStorage<LocalDynamo>();

/**
 * Runs `start` (typically a harness that calls startTestServices) so that every
 * startTestServices inside it creates its table in `dynamo` instead of starting dynalite. Lets
 * the conformance suites run existing harnesses against DynamoDB Local without changing them.
 */
export function withSharedDynamo<T>(dynamo: LocalDynamo, start: () => Promise<T>): Promise<T> {
  return sharedDynamo.run(dynamo, start);
}

/**
 * Starts in-memory dynalite (or uses the server given to withSharedDynamo) and fauxqs, and
 * creates uniquely named resources in them.
 */
export async function startTestServices(
  options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {},
): Promise<TestServices> {
  const shared = sharedDynamo.getStore();
  const [dynamo, sqs] = await Promise.all([
    shared === undefined
      ? startLocalDynamo()
      : { endpoint: shared.endpoint, stop: () => Promise.resolve() },
    startLocalSqs(),
  ]);
  const suffix = randomUUID().slice(0, 8);
  const names = {
    table: `schedules-${suffix}`,
    delayQueue: `delay-${suffix}`,
    outputQueue: `output-${suffix}`,
  };
  const queues = await createLocalResources(dynamo, sqs, names, options);
  return {
    ...queues,
    dynamo,
    sqs,
    tableName: names.table,
    stop: async () => {
      await Promise.all([dynamo.stop(), sqs.stop()]);
    },
  };
}
