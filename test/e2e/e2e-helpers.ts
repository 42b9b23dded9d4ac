import { existsSync } from 'node:fs';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { chromium, type Browser } from 'playwright-core';
import WebSocket from 'ws';
import { createSqsClient } from '../../src/aws/clients.js';
import type { FiredEvent } from '../../src/engine/fired-event.js';
import type { LocalStack } from '../../src/local/stack.js';

/** Fields every test selects on a fired event. */
export const FIRED_FIELDS = 'id owner dueAt firedAt latenessMs payload';
export const ON_FIRED = `subscription { onScheduleFired { ${FIRED_FIELDS} } }`;
export const CREATE = `mutation Create($input: CreateScheduleInput!) {
  createSchedule(input: $input) { id owner dueAt status payload }
}`;

/** A fired event as subscribers and the output queue see it. */
export type { FiredEvent };

/** A GraphQL response as the local endpoint returns it, with its HTTP status. */
export interface GraphqlResponse {
  readonly status: number;
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { errorType: string; message: string }[];
}

/** POSTs one operation to the stack over real HTTP. */
export async function postGraphql(
  stack: LocalStack,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlResponse> {
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** Creates a schedule as the API-key owner and returns its id. */
export async function createSchedule(
  stack: LocalStack,
  input: Record<string, unknown>,
  headers: Record<string, string> = { 'x-api-key': stack.apiKey },
): Promise<string> {
  const result = await postGraphql(stack, headers, CREATE, { input });
  const created = result.data?.['createSchedule'] as { id: string } | undefined;
  if (created === undefined) throw new Error(`createSchedule failed: ${JSON.stringify(result)}`);
  return created.id;
}

/** Polls until `check` holds, or fails naming what it waited for. */
export async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads the output queue until every id in `ids` arrived (deleting what it read). */
export async function readOutputQueue(
  stack: LocalStack,
  ids: readonly string[],
  timeoutMs = 15_000,
): Promise<Map<string, FiredEvent>> {
  const client = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
  const found = new Map<string, FiredEvent>();
  const deadline = Date.now() + timeoutMs;
  try {
    while (ids.some((id) => !found.has(id)) && Date.now() < deadline) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.outputQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      for (const message of Messages) {
        const event = JSON.parse(message.Body ?? '{}') as FiredEvent;
        found.set(event.id, event);
      }
      if (Messages.length > 0) {
        const Entries = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
        await client.send(
          new DeleteMessageBatchCommand({ QueueUrl: stack.outputQueueUrl, Entries }),
        );
      }
    }
    return found;
  } finally {
    client.destroy();
  }
}

/** A raw WebSocket speaking AppSync's real-time protocol, as Amplify JS v6 does. */
export interface RealtimeClient {
  readonly messages: { type: string; id?: string; payload?: unknown }[];
  send(message: unknown): void;
  next(
    type: string,
    id?: string,
    timeoutMs?: number,
  ): Promise<{ type: string; id?: string; payload?: unknown }>;
  close(): void;
}

/** Opens an AppSync real-time socket with the auth JSON in the `header-` subprotocol. */
export async function openRealtime(
  url: string,
  auth: Record<string, string>,
): Promise<RealtimeClient> {
  const header = Buffer.from(JSON.stringify(auth)).toString('base64url');
  const socket = new WebSocket(url, ['graphql-ws', `header-${header}`]);
  const messages: RealtimeClient['messages'] = [];
  socket.on('message', (data) =>
    messages.push(JSON.parse(String(data)) as RealtimeClient['messages'][number]),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let cursor = 0;
  return {
    messages,
    send: (message) => socket.send(JSON.stringify(message)),
    next: async (type, id, timeoutMs = 10_000) => {
      const matches = (m: RealtimeClient['messages'][number]) =>
        m.type === type && (id === undefined || m.id === id);
      await waitFor(`a "${type}" message`, () => messages.slice(cursor).some(matches), timeoutMs);
      const index = messages.findIndex((m, i) => i >= cursor && matches(m));
      cursor = index + 1;
      return messages[index] as RealtimeClient['messages'][number];
    },
    close: () => socket.close(),
  };
}

/** Debian's chromium, which the browser tests drive (`.ci/install-browser` installs it). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether the browser tests can run; when not, says which test is skipped and why. */
export function chromiumAvailable(testName: string): boolean {
  const available = existsSync(CHROMIUM_PATH);
  if (!available) {
    console.warn(`Skipping ${testName}: ${CHROMIUM_PATH} is missing (run .ci/install-browser).`);
  }
  return available;
}

/** Launches headless chromium as root on a machine with no network beyond loopback. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/** A fired event's fields including its key and labels (issue 16). */
export const FIRED_FIELDS_KEYED = `${FIRED_FIELDS} key labels`;

/** One event as a consumer received it, with the wall-clock time it arrived. */
export interface Delivery {
  readonly event: FiredEvent;
  readonly receivedAt: number;
}

/** A live `onScheduleFired` subscription over the AppSync real-time socket. */
export interface FiredWatch {
  readonly deliveries: Delivery[];
  close(): void;
}

/**
 * Subscribes to `onScheduleFired` with the given filter arguments over AppSync real-time (as
 * Amplify does), and records every event with its arrival time; resolves once `start_ack` came.
 * `auth` is the authorization JSON without `host`, e.g. `{ 'x-api-key': key }`.
 */
export async function watchFired(
  stack: LocalStack,
  auth: Record<string, string>,
  filter: { id?: string; key?: string; label?: string } = {},
): Promise<FiredWatch> {
  const authorization = { host: new URL(stack.graphqlUrl).host, ...auth };
  const socket = await openRealtime(stack.realtimeUrl, authorization);
  const deliveries: Delivery[] = [];
  socket.send({ type: 'connection_init' });
  await socket.next('connection_ack');
  const query = `subscription W($id: ID, $key: String, $label: String) {
    onScheduleFired(id: $id, key: $key, label: $label) { ${FIRED_FIELDS_KEYED} } }`;
  socket.send({
    id: 'w',
    type: 'start',
    payload: { data: JSON.stringify({ query, variables: filter }), extensions: { authorization } },
  });
  const answered = (m: RealtimeClient['messages'][number]) =>
    m.id === 'w' && (m.type === 'start_ack' || m.type === 'error');
  await waitFor('start_ack or error', () => socket.messages.some(answered));
  const ack = socket.messages.find(answered);
  if (ack?.type !== 'start_ack') {
    socket.close();
    throw new Error(`subscription refused: ${JSON.stringify(ack?.payload)}`);
  }
  // The socket's own list is appended to on every message; stamp each data message as it lands.
  let cursor = 0;
  const timer = setInterval(() => {
    while (socket.messages.length > cursor) {
      const message = socket.messages[cursor];
      cursor += 1;
      if (message?.type !== 'data') continue;
      const data = (message.payload as { data?: { onScheduleFired?: FiredEvent } }).data;
      if (data?.onScheduleFired) {
        deliveries.push({ event: data.onScheduleFired, receivedAt: Date.now() });
      }
    }
  }, 5);
  return {
    deliveries,
    close: () => {
      clearInterval(timer);
      socket.close();
    },
  };
}

/** A background reader of the output queue that keeps every message (duplicates included). */
export interface OutputCollector {
  readonly deliveries: Delivery[];
  stop(): Promise<void>;
}

/** Reads (and deletes) everything that reaches the output queue until stopped. */
export function collectOutputQueue(stack: LocalStack): OutputCollector {
  const client = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
  const deliveries: Delivery[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.outputQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      const receivedAt = Date.now();
      for (const message of Messages) {
        deliveries.push({ event: JSON.parse(message.Body ?? '{}') as FiredEvent, receivedAt });
      }
      if (Messages.length > 0) {
        const Entries = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
        await client.send(
          new DeleteMessageBatchCommand({ QueueUrl: stack.outputQueueUrl, Entries }),
        );
      }
    }
  })();
  return {
    deliveries,
    stop: async () => {
      running = false;
      await loop;
      client.destroy();
    },
  };
}
