import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { CREATE, ON_FIRED, readOutputQueue, waitFor, type FiredEvent } from './e2e-helpers.js';

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
});
