import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { createDynamoClient, createSqsClient } from '../aws/clients.js';
import { scheduleTableDefinition } from '../aws/table.js';

/** Names of the local resources; the defaults match the CDK stack's logical names. */
export interface LocalResourceNames {
  /** @default "schedules" */
  readonly table: string;
  /** @default "scheduler-delay" */
  readonly delayQueue: string;
  /** @default "scheduler-output" */
  readonly outputQueue: string;
}

export const DEFAULT_RESOURCE_NAMES: LocalResourceNames = {
  table: 'schedules',
  delayQueue: 'scheduler-delay',
  outputQueue: 'scheduler-output',
};

/** Dead-letter queues are named after their source queue. */
export function deadLetterQueueName(queue: string): string {
  return `${queue}-dlq`;
}

/** A running dynalite (DynamoDB stand-in) server. */
export interface LocalDynamo {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** A running fauxqs (SQS stand-in) server. */
export interface LocalSqs {
  readonly endpoint: string;
  readonly server: FauxqsServer;
  stop(): Promise<void>;
}

/*
 * dynalite runs in a worker thread: its request parsing, validation and LevelDB writes otherwise
 * share one event loop with the GraphQL endpoint, the resolvers and the dispatcher, and under a
 * burst every claim write queued behind them. A thread (not a child process) dies with the process
 * on kill -9, so nothing is left holding the LevelDB lock.
 */
const DYNALITE_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalitePath);
const server = dynalite(workerData.options);
server.on('error', (error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => {
  server.close((error) => {
    parentPort.postMessage({ stopped: true, error: error ? String(error.stack || error) : undefined });
    parentPort.close();
  });
});
`;

type ThreadMessage =
  | { readonly port: number }
  | { readonly error: string }
  | { readonly stopped: true; readonly error?: string };

function nextMessage(worker: Worker): Promise<ThreadMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new Error(`dynalite thread exited with code ${code} before answering`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: ThreadMessage) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(message);
    });
  });
}

/**
 * Starts dynalite on `port` (0 picks a free one), in its own worker thread. With `dataDir` the
 * tables persist in LevelDB there; without it they live in memory. stop() closes the server and
 * its database, then ends the thread.
 */
export async function startLocalDynamo(
  options: { port?: number; dataDir?: string } = {},
): Promise<LocalDynamo> {
  const worker = new Worker(DYNALITE_THREAD, {
    eval: true,
    workerData: {
      dynalitePath: createRequire(import.meta.url).resolve('dynalite'),
      port: options.port ?? 0,
      options: {
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
        ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
      },
    },
  });
  const started = await nextMessage(worker);
  if (!('port' in started)) {
    await worker.terminate();
    throw new Error(
      `dynalite did not start on port ${options.port ?? 0} (data dir ${options.dataDir ?? 'in memory'}): ${'error' in started ? started.error : 'no port'}`,
    );
  }
  let exited = false;
  worker.once('exit', () => {
    exited = true;
  });
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    if (exited) return;
    const answer = nextMessage(worker);
    worker.postMessage('stop');
    const stopped = await answer;
    await worker.terminate();
    if ('error' in stopped && stopped.error !== undefined) {
      throw new Error(`Stopping dynalite failed: ${stopped.error}`);
    }
  };
  return {
    endpoint: `http://127.0.0.1:${started.port}`,
    stop: () => (stopping ??= stop()),
  };
}

/** Starts fauxqs on `port` (0 picks a free one); its queues live in memory only. */
export async function startLocalSqs(options: { port?: number } = {}): Promise<LocalSqs> {
  const server = await startFauxqs({ port: options.port ?? 0, logger: false });
  return { endpoint: `http://127.0.0.1:${server.port}`, server, stop: () => server.stop() };
}

/** Queue URLs of the local resources. */
export interface LocalQueues {
  readonly delayQueueUrl: string;
  readonly delayDlqUrl: string;
  readonly outputQueueUrl: string;
  readonly outputDlqUrl: string;
}

/**
 * Creates the schedules table (if missing) and the delay and output queues with their DLQs.
 * `maxReceiveCount` is how often a message is received before it moves to the DLQ.
 */
export async function createLocalResources(
  dynamo: LocalDynamo,
  sqs: LocalSqs,
  names: LocalResourceNames = DEFAULT_RESOURCE_NAMES,
  options: { visibilityTimeoutSeconds?: number; maxReceiveCount?: number } = {},
): Promise<LocalQueues> {
  const dynamoClient = createDynamoClient({ dynamoEndpoint: dynamo.endpoint });
  try {
    await dynamoClient.send(new CreateTableCommand(scheduleTableDefinition(names.table)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await dynamoClient.send(new DescribeTableCommand({ TableName: names.table }));
  dynamoClient.destroy();

  const sqsClient = createSqsClient({ sqsEndpoint: sqs.endpoint });
  const createQueue = async (name: string, attributes: Record<string, string> = {}) =>
    (await sqsClient.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })))
      .QueueUrl as string;
  const redriveTo = (dlqName: string) =>
    JSON.stringify({
      deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlqName}`,
      maxReceiveCount: String(options.maxReceiveCount ?? 5),
    });
  const visibility = String(options.visibilityTimeoutSeconds ?? 30);
  const delayDlqUrl = await createQueue(deadLetterQueueName(names.delayQueue));
  const outputDlqUrl = await createQueue(deadLetterQueueName(names.outputQueue));
  const delayQueueUrl = await createQueue(names.delayQueue, {
    VisibilityTimeout: visibility,
    RedrivePolicy: redriveTo(deadLetterQueueName(names.delayQueue)),
  });
  const outputQueueUrl = await createQueue(names.outputQueue, {
    RedrivePolicy: redriveTo(deadLetterQueueName(names.outputQueue)),
  });
  sqsClient.destroy();
  return { delayQueueUrl, delayDlqUrl, outputQueueUrl, outputDlqUrl };
}
