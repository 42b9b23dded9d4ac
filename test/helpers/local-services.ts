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

/** Starts in-memory dynalite and fauxqs and creates uniquely named resources in them. */
export async function startTestServices(
  options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {},
): Promise<TestServices> {
  const [dynamo, sqs] = await Promise.all([startLocalDynamo(), startLocalSqs()]);
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
