import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppSyncPublisher, regionOfAppSyncUrl } from '../../../src/aws/appsync-publisher.js';
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
    expect(recorder.calls.at(-1)?.query).toMatch(
      /publishScheduleFired\(input: \$input\) \{ id owner dueAt firedAt latenessMs payload \}/,
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
