import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppSyncPublisher,
  publishScheduleFiredDocument,
  regionOfAppSyncUrl,
} from '../../../src/aws/appsync-publisher.js';
import { PublishError } from '../../../src/engine/errors.js';
import type { FiredEvent } from '../../../src/engine/fired-event.js';
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
};

describe('AppSync publisher against a local SigV4-verifying recorder (AppSync itself is mocked)', () => {
  let recorder: AppSyncRecorder;
  beforeAll(async () => {
    recorder = await startAppSyncRecorder();
  });
  afterAll(async () => {
    await recorder.stop();
  });

  it('posts the publishScheduleFired mutation signed for the appsync service', async () => {
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
    expect(recorder.calls.at(-1)?.query).toBe(publishScheduleFiredDocument(1));
    expect(recorder.calls.at(-1)?.query).toMatch(
      /e0: publishScheduleFired\(input: \$e0\) \{ id owner dueAt firedAt latenessMs payload \}/,
    );
  });

  it('publishes the events sent in one turn in one request, one aliased field each', async () => {
    // Prepare
    const publisher = new AppSyncPublisher({
      url: recorder.url,
      credentials: TEST_SIGNING_CREDENTIALS,
    });
    const events = [1, 2, 3].map((n) => ({ ...EVENT, id: `${EVENT.id.slice(0, -1)}${n}` }));
    const before = recorder.calls.length;

    // Act
    await Promise.all(events.map((event) => publisher.send(event)));

    // Assess
    const calls = recorder.calls.slice(before);
    expect(calls.map((call) => call.input)).toEqual(events);
    expect(new Set(calls.map((call) => call.query))).toEqual(
      new Set([publishScheduleFiredDocument(3)]),
    );
  });

  it('fails only the event whose aliased field has an error (AppSync itself is mocked)', async () => {
    // Prepare: a GraphQL answer with data for e0 and an error on path e1
    const answer = {
      data: { e0: EVENT, e1: null },
      errors: [{ path: ['e1'], errorType: 'MappingTemplate', message: 'bad input' }],
    };
    const publisher = new AppSyncPublisher({
      url: 'http://127.0.0.1:1/graphql',
      credentials: TEST_SIGNING_CREDENTIALS,
      fetch: () => Promise.resolve(new Response(JSON.stringify(answer))),
    });

    // Act
    const [first, second] = await Promise.allSettled([
      publisher.send(EVENT),
      publisher.send({ ...EVENT, id: 'second' }),
    ]);

    // Assess
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    expect(String((second as PromiseRejectedResult).reason)).toContain(
      'publishScheduleFired for second returned errors: MappingTemplate: bad input',
    );
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
