import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kind, parse, visit, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppSyncPublisher,
  PUBLISH_SCHEDULE_FIRED,
  regionOfAppSyncUrl,
} from '../../../src/aws/appsync-publisher.js';
import { PublishError } from '../../../src/engine/errors.js';
import type { FiredEvent } from '../../../src/engine/fired-event.js';
import { keepAliveFetch } from '@precise-scheduler/appsync-local';
import {
  startAppSyncRecorder,
  TEST_SIGNING_CREDENTIALS,
  type AppSyncRecorder,
} from '../../helpers/engine-appsync-recorder.js';

const EVENT: FiredEvent = {
  id: '1805535107123-2-01JD3Q9W7K8M2N4P6R8T0V2X4Z',
  owner: 'alice',
  dueAt: '2027-03-20T09:46:47.123Z',
  firedAt: '2027-03-20T09:46:47.131Z',
  latenessMs: 8,
  payload: '{"hello":"world"}',
  key: null,
  labels: [],
};

const eventNumbered = (n: number): FiredEvent => ({ ...EVENT, id: `${EVENT.id}-${n}` });

/** The mutation fields of a request's document, with every alias found anywhere in it. */
function inspectDocument(query: string) {
  const document = parse(query);
  const aliases: string[] = [];
  visit(document, {
    Field: (node) => {
      if (node.alias !== undefined) aliases.push(`${node.alias.value}: ${node.name.value}`);
    },
  });
  const operation = document.definitions[0] as OperationDefinitionNode;
  const fields = operation.selectionSet.selections.map((selection) =>
    selection.kind === Kind.FIELD ? selection.name.value : selection.kind,
  );
  return { operation: operation.operation, fields, aliases };
}

interface CountingServer {
  readonly url: string;
  readonly bodies: { query: string; variables: Record<string, FiredEvent> }[];
  readonly sockets: () => number;
  readonly maxInFlight: () => number;
  stop(): Promise<void>;
}

/**
 * A plain HTTP stand-in for AppSync (AppSync itself is mocked): it records each body, counts
 * TCP connections and requests in flight, answers after `delayMs`, and answers a GraphQL
 * error for an event whose id ends in "-bad".
 */
async function startCountingServer(delayMs: number): Promise<CountingServer> {
  const bodies: CountingServer['bodies'] = [];
  let sockets = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((request, response) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(
        Buffer.concat(chunks).toString('utf8'),
      ) as CountingServer['bodies'][0];
      bodies.push(body);
      const input = body.variables['input'];
      const answer = input?.id.endsWith('-bad')
        ? {
            data: null,
            errors: [
              {
                path: ['publishScheduleFired'],
                errorType: 'MappingTemplate',
                message: 'bad input',
              },
            ],
          }
        : { data: { publishScheduleFired: input ?? null } };
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      }, delayMs);
    });
  });
  server.on('connection', () => {
    sockets += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    bodies,
    sockets: () => sockets,
    maxInFlight: () => maxInFlight,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

describe('AppSync publisher against a local SigV4-verifying recorder (AppSync itself is mocked)', () => {
  let recorder: AppSyncRecorder;
  beforeAll(async () => {
    recorder = await startAppSyncRecorder();
  });
  afterAll(async () => {
    await recorder.stop();
  });

  it('posts one unaliased publishScheduleFired mutation signed for the appsync service', async () => {
    // Prepare
    const publisher = new AppSyncPublisher({
      url: recorder.url,
      credentials: TEST_SIGNING_CREDENTIALS,
    });

    // Act
    await publisher.send(EVENT);

    // Assess
    expect(recorder.rejected).toEqual([]);
    expect(recorder.calls.at(-1)?.input).toEqual(EVENT);
    expect(recorder.calls.at(-1)?.query).toBe(PUBLISH_SCHEDULE_FIRED);
    expect(inspectDocument(PUBLISH_SCHEDULE_FIRED)).toEqual({
      operation: 'mutation',
      fields: ['publishScheduleFired'],
      aliases: [],
    });
  });

  it('is refused when signed with other credentials', async () => {
    const publisher = new AppSyncPublisher({
      url: recorder.url,
      credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'wrong' },
    });
    await expect(publisher.send(EVENT)).rejects.toThrow(/HTTP 403/);
    expect(recorder.rejected).toHaveLength(1);
  });

  it('fails with a PublishError on an HTTP error, naming the schedule and the status', async () => {
    const publisher = new AppSyncPublisher({
      url: recorder.url,
      credentials: TEST_SIGNING_CREDENTIALS,
    });
    recorder.failNext(1);
    const outcome = publisher.send(EVENT);
    await expect(outcome).rejects.toThrow(PublishError);
    await expect(outcome).rejects.toThrow(
      `publishScheduleFired for ${EVENT.id} failed with HTTP 500`,
    );
  });

  it('reads the region from an AppSync host name', () => {
    expect(
      regionOfAppSyncUrl(new URL('https://abc.appsync-api.eu-west-1.amazonaws.com/graphql')),
    ).toBe('eu-west-1');
    expect(regionOfAppSyncUrl(new URL('https://api.example.com/graphql'))).toBeUndefined();
  });
});

describe('AppSync publisher against a local counting HTTP server (AppSync itself is mocked)', () => {
  let server: CountingServer;
  beforeAll(async () => {
    server = await startCountingServer(25);
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each([
    ['its own keep-alive agent (the default)', undefined],
    ['the local keep-alive fetch', keepAliveFetch],
  ])(
    'sends one unaliased request per event, at most maxConcurrency at once, on reused sockets, over %s',
    async (_name, fetchImpl) => {
      // Prepare: 12 events in one turn, three slots
      const publisher = new AppSyncPublisher({
        url: server.url,
        credentials: TEST_SIGNING_CREDENTIALS,
        maxConcurrency: 3,
        ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
      });
      const events = Array.from({ length: 12 }, (_, n) => eventNumbered(n));
      const before = { bodies: server.bodies.length, sockets: server.sockets() };

      // Act: events beyond the bound wait for a slot rather than fail
      const outcomes = await Promise.allSettled(events.map((event) => publisher.send(event)));

      // Assess
      expect(outcomes.map((outcome) => outcome.status)).toEqual(events.map(() => 'fulfilled'));
      const bodies = server.bodies.slice(before.bodies);
      expect(bodies).toHaveLength(12);
      for (const body of bodies) {
        expect(inspectDocument(body.query)).toEqual({
          operation: 'mutation',
          fields: ['publishScheduleFired'],
          aliases: [],
        });
        expect(Object.keys(body.variables)).toEqual(['input']);
      }
      expect(bodies.map((body) => body.variables['input']?.id).sort()).toEqual(
        events.map((event) => event.id).sort(),
      );
      expect(server.maxInFlight()).toBe(3);
      expect(server.sockets() - before.sockets).toBeLessThanOrEqual(3);
    },
  );

  it('fails only the event whose request returned a GraphQL error, naming it and the errorType', async () => {
    // Prepare
    const publisher = new AppSyncPublisher({
      url: server.url,
      credentials: TEST_SIGNING_CREDENTIALS,
    });

    // Act
    const [first, second] = await Promise.allSettled([
      publisher.send(eventNumbered(1)),
      publisher.send({ ...EVENT, id: 'second-bad' }),
    ]);

    // Assess
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    const reason = (second as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(PublishError);
    expect(reason.message).toContain(
      'publishScheduleFired for second-bad returned errors: MappingTemplate: bad input',
    );
  });

  it('fails with a PublishError naming the schedule when the endpoint is unreachable', async () => {
    const publisher = new AppSyncPublisher({
      url: 'http://127.0.0.1:1/graphql',
      credentials: TEST_SIGNING_CREDENTIALS,
    });
    const outcome = publisher.send(EVENT);
    await expect(outcome).rejects.toThrow(PublishError);
    await expect(outcome).rejects.toThrow(
      `publishScheduleFired for ${EVENT.id} could not reach http://127.0.0.1:1`,
    );
  });

  it('refuses a concurrency bound that is not a positive integer, naming the value', () => {
    expect(() => new AppSyncPublisher({ url: server.url, maxConcurrency: 0 })).toThrow(
      'maxConcurrency must be a positive integer; received 0',
    );
  });
});
