import { createRequire } from 'node:module';
import { CreateTableCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { createDynamoClient, createSqsClient } from '../aws/clients.js';
import { scheduleTableDefinition, waitUntilTableActive } from '../aws/table.js';
import { startServiceThread } from './service-thread.js';
import { upgradeTable } from './table-upgrade.js';

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

/** What fauxqs tells of one message when a queue is inspected. */
export interface InspectedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentTimestamp: number;
  /** Epoch ms at which a delayed message becomes visible. */
  readonly delayUntil?: number;
}

/** Messages of one fauxqs queue, by state. */
export interface QueueContents {
  readonly ready: readonly InspectedMessage[];
  readonly delayed: readonly InspectedMessage[];
  readonly inflight: readonly { readonly message: InspectedMessage }[];
}

/** A running fauxqs (SQS stand-in) server. */
export interface LocalSqs {
  readonly endpoint: string;
  /** The messages of queue `name` without receiving them; undefined when there is no such queue. */
  inspectQueue(name: string): Promise<QueueContents | undefined>;
  stop(): Promise<void>;
}

const DYNALITE_SCRIPT = `
async function start(options) {
  const server = require(options.modulePath)(options.dynalite);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    stop: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
`;

/**
 * Starts dynalite on `port` (0 picks a free one), in its own thread. With `dataDir` the tables
 * persist in LevelDB there; without it they live in memory. stop() closes the server and its
 * database, then ends the thread.
 */
export async function startLocalDynamo(
  options: { port?: number; dataDir?: string } = {},
): Promise<LocalDynamo> {
  const where = `on port ${options.port ?? 0} (data dir ${options.dataDir ?? 'in memory'})`;
  const thread = await startServiceThread(`dynalite ${where}`, DYNALITE_SCRIPT, {
    modulePath: createRequire(import.meta.url).resolve('dynalite'),
    port: options.port ?? 0,
    dynalite: {
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
    },
  });
  return { endpoint: `http://127.0.0.1:${thread.port}`, stop: thread.stop };
}

const FAUXQS_SCRIPT = `
async function start(options) {
  const { startFauxqs } = await import(options.moduleUrl);
  const journal = options.journal;
  const server = await startFauxqs({ port: options.port, logger: false, messageSpies: journal !== undefined });
  let fd;
  if (journal !== undefined) {
    // fauxqs reports every message put on a queue, deleted by a consumer or moved to a DLQ to its
    // spy; each report on a journaled queue becomes one line, written before the call answers.
    const fs = require('node:fs');
    fd = fs.openSync(journal.path, 'w');
    const watched = new Set(journal.queues);
    const ops = { published: 'put', consumed: 'delete', dlq: 'delete' };
    server.spy.addMessage = (event) => {
      const op = ops[event.status];
      if (event.service !== 'sqs' || !watched.has(event.queueName) || op === undefined) return;
      const line = { op, queue: event.queueName, id: event.messageId };
      if (op === 'put') line.body = event.body;
      fs.writeSync(fd, JSON.stringify(line) + '\\n');
    };
  }
  return {
    port: server.port,
    stop: async () => {
      await server.stop();
      if (fd !== undefined) require('node:fs').closeSync(fd);
    },
    inspectQueue: (name) => server.inspectQueue(name)?.messages,
  };
}
`;

/** Where fauxqs journals the messages of some queues, so a restart can put them back. */
export interface SqsJournalOptions {
  /** The file it writes (truncated at start). */
  readonly path: string;
  /** Names of the queues whose messages it journals. */
  readonly queues: readonly string[];
}

/**
 * Starts fauxqs on `port` (0 picks a free one), in its own thread; queues live in memory. With
 * `journal`, every message put on, deleted from or dead-lettered out of the named queues is also
 * appended to a file (see sqs-journal.ts).
 */
export async function startLocalSqs(
  options: { port?: number; journal?: SqsJournalOptions } = {},
): Promise<LocalSqs> {
  const thread = await startServiceThread(`fauxqs on port ${options.port ?? 0}`, FAUXQS_SCRIPT, {
    moduleUrl: import.meta.resolve('fauxqs'),
    port: options.port ?? 0,
    journal: options.journal,
  });
  return {
    endpoint: `http://127.0.0.1:${thread.port}`,
    inspectQueue: async (name) =>
      (await thread.call('inspectQueue', name)) as QueueContents | undefined,
    stop: thread.stop,
  };
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
 * A table from an earlier version whose indexes differ is first rebuilt with its items (see
 * table-upgrade.ts), with its progress sent to `log`. `maxReceiveCount` is how often a message
 * is received before it moves to the DLQ.
 */
export async function createLocalResources(
  dynamo: LocalDynamo,
  sqs: LocalSqs,
  names: LocalResourceNames = DEFAULT_RESOURCE_NAMES,
  options: {
    visibilityTimeoutSeconds?: number;
    maxReceiveCount?: number;
    log?: (message: string) => void;
  } = {},
): Promise<LocalQueues> {
  const dynamoClient = createDynamoClient({ dynamoEndpoint: dynamo.endpoint });
  const definition = scheduleTableDefinition(names.table);
  await upgradeTable(dynamoClient, definition, { log: options.log });
  try {
    await dynamoClient.send(new CreateTableCommand(definition));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableActive(dynamoClient, names.table);
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
