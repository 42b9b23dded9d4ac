import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import {
  CREATE,
  FIRED_FIELDS,
  ON_FIRED,
  readOutputQueue,
  waitFor,
  type FiredEvent,
} from './e2e-helpers.js';

describe('an unmodified AWS Amplify JS v6 client against the local endpoint', () => {
  let stack: LocalStack;
  const originalWebSocket = globalThis.WebSocket;
  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, port: 0, quiet: true });
    // Node 20 has no global WebSocket (browsers do); this one trusts the stack's dev certificate,
    // as a developer's browser or NODE_EXTRA_CA_CERTS would, since Amplify always opens wss://.
    const ca = stack.tlsCertificate;
    globalThis.WebSocket = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { ca });
      }
    } as unknown as typeof globalThis.WebSocket;
  });
  afterAll(async () => {
    globalThis.WebSocket = originalWebSocket;
    await stack.stop();
  });

  it('mutates over HTTP and receives its subscription over /graphql/realtime', async () => {
    // Prepare
    Amplify.configure({
      API: {
        GraphQL: {
          endpoint: stack.graphqlUrl,
          region: 'us-east-1',
          defaultAuthMode: 'apiKey',
          apiKey: stack.apiKey,
        },
      },
    });
    const client = generateClient();
    const received: FiredEvent[] = [];
    const subscription = (
      client.graphql({ query: ON_FIRED }) as unknown as {
        subscribe(observer: {
          next(value: { data: { onScheduleFired: FiredEvent } }): void;
          error(e: unknown): void;
        }): {
          unsubscribe(): void;
        };
      }
    ).subscribe({
      next: ({ data }) => received.push(data.onScheduleFired),
      error: () => undefined,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // Act
    const created = (await client.graphql({
      query: CREATE,
      variables: { input: { delaySeconds: 1, payload: '{"via":"amplify"}' } },
    })) as { data: { createSchedule: { id: string } } };
    const id = created.data.createSchedule.id;
    await waitFor('the Amplify subscription event', () =>
      received.some((event) => event.id === id),
    );
    subscription.unsubscribe();
    await readOutputQueue(stack, [id]);

    // Assess
    expect(received.find((event) => event.id === id)).toMatchObject({
      payload: '{"via":"amplify"}',
    });
  });

  it('subscribes with a label argument and reschedules by key through Amplify', async () => {
    // Prepare
    const client = generateClient();
    const received: (FiredEvent & { key: string | null; labels: string[] })[] = [];
    const subscription = (
      client.graphql({
        query: `subscription Fired($label: String) { onScheduleFired(label: $label) { ${FIRED_FIELDS} key labels } }`,
        variables: { label: 'amp' },
      }) as unknown as {
        subscribe(observer: {
          next(value: { data: { onScheduleFired: (typeof received)[number] } }): void;
          error(e: unknown): void;
        }): { unsubscribe(): void };
      }
    ).subscribe({
      next: ({ data }) => received.push(data.onScheduleFired),
      error: () => undefined,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const create = (input: Record<string, unknown>) =>
      client.graphql({ query: CREATE, variables: { input } }) as Promise<{
        data: { createSchedule: { id: string } };
      }>;

    // Act
    const other = (await create({ delaySeconds: 1, payload: '"other"', labels: ['not-amp'] })).data
      .createSchedule.id;
    const first = (
      await create({ delaySeconds: 3600, payload: '"amp"', key: 'amp-key', labels: ['amp'] })
    ).data.createSchedule.id;
    const moved = (await client.graphql({
      query:
        'mutation($key: String, $d: Int) { rescheduleSchedule(key: $key, delaySeconds: $d) { id key } }',
      variables: { key: 'amp-key', d: 1 },
    })) as { data: { rescheduleSchedule: { id: string; key: string } } };
    const movedId = moved.data.rescheduleSchedule.id;
    await waitFor('the labelled event', () => received.some((event) => event.id === movedId));
    await readOutputQueue(stack, [other, movedId]);
    // FIRED means every channel has it: the unlabelled event has been published by then.
    const statusOf = async (id: string) =>
      (
        (await client.graphql({
          query: 'query($id: ID) { schedule(id: $id) { status } }',
          variables: { id },
        })) as { data: { schedule: { status: string } } }
      ).data.schedule.status;
    for (let tries = 0; (await statusOf(other)) !== 'FIRED' && tries < 100; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    subscription.unsubscribe();

    // Assess
    expect(movedId).not.toBe(first);
    expect(moved.data.rescheduleSchedule.key).toBe('amp-key');
    expect(received.map((event) => [event.id, event.key, event.labels])).toEqual([
      [movedId, 'amp-key', ['amp']],
    ]);
  });
});
