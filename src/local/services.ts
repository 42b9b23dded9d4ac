import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
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

/**
 * Starts dynalite on `port` (0 picks a free one). With `dataDir` the tables persist in LevelDB
 * there; without it they live in memory.
 */
export async function startLocalDynamo(
  options: { port?: number; dataDir?: string } = {},
): Promise<LocalDynamo> {
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
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
