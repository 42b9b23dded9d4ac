/*
 * Writes that land in DynamoDB while their answer is lost: the SDK retries them, and the retry
 * meets the state the first attempt wrote. Before these fixes the retry was taken as someone
 * else's write: a cancel answered AlreadyCancelled (the fault run then expected the cancelled
 * schedule to fire and reported it missing), a fast-path create answered Conflict and left its
 * schedule unsent until the stranded sweep, a clientToken put answered "in progress", and a
 * feeder found its own lease busy and left the shard idle until the lease expired. Only the
 * network between the code and dynalite is faked (a proxy drops one answer); dynalite and
 * fauxqs are real.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResolvers } from '../../../scripts/build-resolvers.js';
import { FeederStateStore } from '../../../src/aws/feeder-state-store.js';
import {
  LOCAL_CREDENTIALS,
  createDynamoClient,
  createSqsClient,
} from '../../../src/aws/clients.js';
import {
  type Caller,
  type ClosableGraphqlEngine,
  createLocalGraphqlEngine,
} from '@precise-scheduler/appsync-local';
import { SCHEMA_FILE } from '../../helpers/schema-file.js';
import { startTestServices, type TestServices } from '../../helpers/local-services.js';

const CALLER: Caller = { authMode: 'API_KEY', identity: null, headers: {} };
const FIELDS = 'id status dueAt cancelledAt';
const CREATE = `mutation C($input: CreateScheduleInput!) { createSchedule(input: $input) { ${FIELDS} } }`;
const CANCEL = `mutation X($id: ID!) { cancelSchedule(id: $id) { ${FIELDS} } }`;

/** A proxy in front of dynalite that forwards every request and can drop one chosen answer. */
interface AnswerDroppingProxy {
  readonly endpoint: string;
  /** Drops the answer to the next request of this DynamoDB operation, after dynalite ran it. */
  dropNextAnswer(operation: string): void;
  /** How many answers were dropped so far. */
  dropped(): number;
  stop(): Promise<void>;
}

async function startAnswerDroppingProxy(target: string): Promise<AnswerDroppingProxy> {
  const to = new URL(target);
  let armed: string | null = null;
  let dropped = 0;
  const server: Server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '')
      .split('.')
      .pop();
    const drop = armed !== null && operation === armed;
    if (drop) armed = null;
    const upstream = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (drop) {
          dropped += 1;
          answer.resume();
          answer.once('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropNextAnswer: (operation) => {
      armed = operation;
    },
    dropped: () => dropped,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('writes whose DynamoDB answer is lost (a proxy drops it; dynalite and fauxqs real)', () => {
  let services: TestServices;
  let proxy: AnswerDroppingProxy;
  let engine: ClosableGraphqlEngine;
  let manifestDir: string;
  const dynamo = () => createDynamoClient({ dynamoEndpoint: proxy.endpoint });
  const sqs = () => createSqsClient({ sqsEndpoint: services.sqs.endpoint });
  const clients: { destroy(): void }[] = [];
  const run = async (query: string, variables: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(await engine.execute({ query, variables }, CALLER))) as {
      data?: Record<string, Record<string, string> | null> | null;
      errors?: { message: string; errorType?: string }[];
    };

  beforeAll(async () => {
    services = await startTestServices();
    proxy = await startAnswerDroppingProxy(services.dynamo.endpoint);
    manifestDir = await mkdtemp(path.join(tmpdir(), 'lost-answers-'));
    await buildResolvers(manifestDir);
    const client = dynamo();
    clients.push(client);
    engine = await createLocalGraphqlEngine({
      schemaFile: SCHEMA_FILE,
      manifestDir,
      env: { FAST_PATH_HORIZON_SECONDS: '60', DELAY_QUEUE_URL: services.delayQueueUrl },
      dataSources: {
        schedules: { type: 'AMAZON_DYNAMODB', tableName: services.tableName, client },
        delayQueue: {
          type: 'HTTP',
          endpoint: services.sqs.endpoint,
          signing: { service: 'sqs', region: 'us-east-1', credentials: LOCAL_CREDENTIALS },
        },
        none: { type: 'NONE' },
      },
    });
  });
  afterAll(async () => {
    await engine.close();
    for (const client of clients) client.destroy();
    await proxy.stop();
    await services.stop();
    await rm(manifestDir, { recursive: true, force: true });
  });

  it('a cancel whose update landed but whose answer was lost returns success', async () => {
    // Prepare
    const created = await run(CREATE, { input: { delaySeconds: 3600, payload: '{}' } });
    const id = created.data?.['createSchedule']?.['id'];
    expect(id).toBeTypeOf('string');
    proxy.dropNextAnswer('UpdateItem');
    const droppedBefore = proxy.dropped();

    // Act
    const cancelled = await run(CANCEL, { id });

    // Assess
    expect(proxy.dropped()).toBe(droppedBefore + 1);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data?.['cancelSchedule']).toMatchObject({ id, status: 'CANCELLED' });
    const again = await run(CANCEL, { id });
    expect(again.errors?.[0]?.errorType).toBe('AlreadyCancelledError');
  });

  it('a fast-path create whose put landed but whose answer was lost is accepted and sent at once', async () => {
    // Prepare
    proxy.dropNextAnswer('PutItem');
    const droppedBefore = proxy.dropped();
    const client = sqs();
    clients.push(client);

    // Act
    const created = await run(CREATE, { input: { delaySeconds: 1, payload: '{"n":1}' } });
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: services.delayQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 5,
      }),
    );

    // Assess
    expect(proxy.dropped()).toBe(droppedBefore + 1);
    expect(created.errors).toBeUndefined();
    const schedule = created.data?.['createSchedule'];
    expect(schedule).toMatchObject({ status: 'QUEUED' });
    const ids = (received.Messages ?? []).map(
      (m) => (JSON.parse(m.Body ?? '{}') as { id?: string }).id,
    );
    expect(ids).toContain(schedule?.['id']);
  });

  it('a create whose clientToken put landed but whose answer was lost is accepted', async () => {
    // Prepare
    proxy.dropNextAnswer('PutItem');
    const droppedBefore = proxy.dropped();
    const input = { delaySeconds: 3600, payload: '{}', clientToken: 'lost-answer-token' };

    // Act
    const created = await run(CREATE, { input });
    const replayed = await run(CREATE, { input });

    // Assess
    expect(proxy.dropped()).toBe(droppedBefore + 1);
    expect(created.errors).toBeUndefined();
    const id = created.data?.['createSchedule']?.['id'];
    expect(id).toBeTypeOf('string');
    expect(replayed.data?.['createSchedule']?.['id']).toBe(id);
  });

  it('a feeder lease put that landed but whose answer was lost is taken, not busy', async () => {
    // Prepare
    const client = dynamo();
    clients.push(client);
    const state = new FeederStateStore(client, services.tableName);
    const nowMs = Date.now();
    proxy.dropNextAnswer('PutItem');
    const droppedBefore = proxy.dropped();

    // Act
    const taken = await state.acquireLease(0, 'run-a', nowMs, nowMs + 60_000);
    const takenByOther = await state.acquireLease(0, 'run-b', nowMs, nowMs + 60_000);

    // Assess
    expect(proxy.dropped()).toBe(droppedBefore + 1);
    expect(taken).toBe(true);
    expect(takenByOther).toBe(false);
  });
});
