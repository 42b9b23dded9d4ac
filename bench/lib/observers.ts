import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { LOCAL_CREDENTIALS } from '../../src/aws/clients.js';
import { BENCH_CALLER_HEADER } from './http-meter.js';
import { sleep } from './pool.js';

/** One delivery seen on the output queue. */
export interface QueueDelivery {
  readonly receivedAtMs: number;
  /** firedAt from the message body, as the dispatcher stamped it. */
  readonly firedAtMs: number;
  readonly dueAtMs: number;
  readonly messageId: string;
}

/** Every delivery seen on both channels, by schedule id. */
export interface FiringLog {
  /** Receive times (epoch ms) of subscription events, by id. */
  readonly subscription: Map<string, number[]>;
  readonly queue: Map<string, QueueDelivery[]>;
}

/** Creates an empty log. */
export function createFiringLog(): FiringLog {
  return { subscription: new Map(), queue: new Map() };
}

function append<T>(map: Map<string, T[]>, id: string, value: T): void {
  const list = map.get(id);
  if (list === undefined) map.set(id, [value]);
  else list.push(value);
}

const ON_FIRED = 'subscription { onScheduleFired { id dueAt firedAt } }';

/**
 * Subscribes to `onScheduleFired` over graphql-ws at the local `/graphql` WebSocket with the API
 * key, recording the receive time of every event; resolves once connected.
 */
export async function observeSubscription(
  wsUrl: string,
  apiKey: string,
  log: FiringLog,
): Promise<{ close(): Promise<void> }> {
  const client: Client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { 'x-api-key': apiKey },
    lazy: false,
    retryAttempts: 0,
  });
  await new Promise<void>((resolve, reject) => {
    const offConnected = client.on('connected', () => {
      offConnected();
      resolve();
    });
    client.on('error', reject);
  });
  const unsubscribe = client.subscribe<{ onScheduleFired: { id: string } | null }>(
    { query: ON_FIRED },
    {
      next: (result) => {
        const event = result.data?.onScheduleFired;
        if (event) append(log.subscription, event.id, Date.now());
      },
      error: (error) => process.stderr.write(`subscription error: ${JSON.stringify(error)}\n`),
      complete: () => undefined,
    },
  );
  return {
    close: async () => {
      unsubscribe();
      await client.dispose();
    },
  };
}

/** An SQS client for the bench's own calls: marked so the call meter leaves them out. */
export function createBenchSqsClient(endpoint: string): SQSClient {
  const client = new SQSClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[BENCH_CALLER_HEADER] = '1';
      return next(args);
    },
    { step: 'build', name: 'benchCallerHeader' },
  );
  return client;
}

async function pollOnce(client: SQSClient, queueUrl: string, log: FiringLog): Promise<void> {
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  const receivedAtMs = Date.now();
  for (const message of Messages) {
    const body = JSON.parse(message.Body ?? '{}') as {
      id?: string;
      firedAt?: string;
      dueAt?: string;
    };
    if (body.id === undefined) continue;
    append(log.queue, body.id, {
      receivedAtMs,
      firedAtMs: Date.parse(body.firedAt ?? ''),
      dueAtMs: Date.parse(body.dueAt ?? ''),
      messageId: message.MessageId ?? '',
    });
  }
  if (Messages.length > 0) {
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
}

/**
 * Polls the output queue with `pollers` concurrent long polls, recording and deleting every
 * message, until closed.
 */
export function observeOutputQueue(
  client: SQSClient,
  queueUrl: string,
  log: FiringLog,
  pollers = 4,
): { close(): Promise<void> } {
  let open = true;
  const loop = async () => {
    while (open) {
      try {
        await pollOnce(client, queueUrl, log);
      } catch (error) {
        if (open) process.stderr.write(`output queue poll failed: ${String(error)}\n`);
        await sleep(200);
      }
    }
  };
  const loops = Array.from({ length: pollers }, loop);
  return {
    close: async () => {
      open = false;
      await Promise.all(loops);
    },
  };
}
