/*
 * Watches what consumers actually receive from a local stack, across kill -9 and restarts: the
 * onScheduleFired subscription (graphql-ws) and the output queue, drained continuously. The crash
 * suite judges delivery by this, not by the status in the table.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createSqsClient } from '../../src/aws/clients.js';
import type { ChildEndpoints } from './reliability-process.js';

const ON_FIRED = 'subscription { onScheduleFired { id dueAt firedAt } }';

/** When each schedule id was first received, and how often, on each channel. */
export interface ChannelLog {
  readonly firstAt: Map<string, number>;
  readonly counts: Map<string, number>;
}

function record(log: ChannelLog, id: string) {
  if (!log.firstAt.has(id)) log.firstAt.set(id, Date.now());
  log.counts.set(id, (log.counts.get(id) ?? 0) + 1);
}

/**
 * Subscribes to `onScheduleFired` over graphql-ws with the stack's API key and calls `onId` for
 * every event; resolves with the client (dispose it to stop) once the connection is acknowledged.
 */
export async function subscribeToFired(
  stack: Pick<ChildEndpoints, 'graphqlUrl' | 'apiKey'>,
  onId: (id: string) => void,
): Promise<Client> {
  const client = createClient({
    url: stack.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { 'x-api-key': stack.apiKey },
    retryAttempts: 0,
    lazy: false,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('subscription not acknowledged in 15 s')),
      15_000,
    );
    client.subscribe(
      { query: ON_FIRED },
      {
        next: (result) => {
          const event = result.data?.['onScheduleFired'] as { id?: string } | undefined;
          if (event?.id !== undefined) onId(event.id);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    // graphql-ws has no subscription ack: wait a moment after the connection ack. An event
    // published before the subscription is registered still reaches the output queue.
    client.on('connected', () => {
      clearTimeout(timer);
      setTimeout(resolve, 200);
    });
  });
  return client;
}

/** A consumer of one stack at a time; attach it again to the stack that replaced a killed one. */
export class DeliveryWatcher {
  readonly subscription: ChannelLog = { firstAt: new Map(), counts: new Map() };
  readonly outputQueue: ChannelLog = { firstAt: new Map(), counts: new Map() };
  #client: Client | undefined;
  #sqs: SQSClient | undefined;
  #draining: Promise<void>[] = [];
  #attached = false;

  /** Subscribes to `stack` (resolves once the subscription is acknowledged) and drains its queue. */
  async attach(stack: ChildEndpoints): Promise<void> {
    this.#attached = true;
    this.#client = await subscribeToFired(stack, (id) => record(this.subscription, id));
    const sqs = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
    this.#sqs = sqs;
    this.#draining = [0, 1].map(() => this.#drain(sqs, stack.outputQueueUrl));
  }

  async #drain(sqs: SQSClient, queueUrl: string): Promise<void> {
    while (this.#attached && this.#sqs === sqs) {
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) continue;
        for (const message of messages) {
          record(
            this.outputQueue,
            String((JSON.parse(message.Body ?? '{}') as { id?: unknown }).id),
          );
        }
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      } catch {
        // The stack was killed: stop until attached to the next one.
        return;
      }
    }
  }

  /** Stops consuming (before a kill, or at the end). */
  async detach(): Promise<void> {
    this.#attached = false;
    const client = this.#client;
    this.#client = undefined;
    await Promise.resolve(client?.dispose()).catch(() => undefined);
    await Promise.all(this.#draining);
    this.#sqs?.destroy();
    this.#sqs = undefined;
  }

  /** When `id` first reached a consumer on either channel; undefined if it never did. */
  receivedAt(id: string): number | undefined {
    const times = [this.subscription.firstAt.get(id), this.outputQueue.firstAt.get(id)];
    const known = times.filter((time): time is number => time !== undefined);
    return known.length === 0 ? undefined : Math.min(...known);
  }

  /** Ids received on at least one channel. */
  receivedCount(ids: Iterable<string>): number {
    let count = 0;
    for (const id of ids) if (this.receivedAt(id) !== undefined) count += 1;
    return count;
  }

  /** Ids received more than once on one channel. */
  duplicates(): number {
    const many = (log: ChannelLog) => [...log.counts.values()].filter((n) => n > 1).length;
    return many(this.subscription) + many(this.outputQueue);
  }
}
