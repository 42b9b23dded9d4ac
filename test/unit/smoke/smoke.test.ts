import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/client/index.js';
import { parseSmokeArgs } from '../../../src/smoke/options.js';
import { planSchedules } from '../../../src/smoke/plan.js';
import { percentile } from '../../../src/smoke/report.js';
import { judgeListing, type Created } from '../../../src/smoke/steps.js';

const APPSYNC = 'https://abc123.appsync-api.eu-west-1.amazonaws.com/graphql';

function schedule(id: string, dueAt: string, status = 'PENDING'): Schedule {
  return { id, dueAt, status, owner: 'api-key', payload: '{}', createdAt: dueAt } as Schedule;
}

function created(item: Schedule): Created {
  return { planned: planSchedules('r', 0, 900)[5]!, schedule: item };
}

describe('smoke command line', () => {
  it('takes the IAM region from an AppSync URL and applies the defaults', () => {
    // Act
    const options = parseSmokeArgs(['--endpoint', APPSYNC, '--iam'], {});

    // Assess
    expect(options).toMatchObject({
      auth: { type: 'iam', region: 'eu-west-1' },
      realtimeUrl: undefined,
      fastPathHorizonSeconds: 900,
      maxWaitSeconds: 150,
      maxLatenessMs: 5000,
    });
  });

  it('refuses, naming the flag and the value, what it cannot run', () => {
    // Assess
    expect(() => parseSmokeArgs(['--iam'], {})).toThrow('--endpoint is required');
    expect(() => parseSmokeArgs(['--endpoint', APPSYNC], {})).toThrow(
      'give exactly one of --api-key, --jwt and --iam; received none',
    );
    expect(() => parseSmokeArgs(['--endpoint', APPSYNC, '--iam', '--jwt', 't'], {})).toThrow(
      'received 2',
    );
    expect(() =>
      parseSmokeArgs(['--endpoint', APPSYNC, '--iam', '--fast-path-horizon', '5'], {}),
    ).toThrow('--fast-path-horizon must be an integer from 10 to 900; received "5"');
    expect(() =>
      parseSmokeArgs(['--endpoint', APPSYNC, '--iam', '--realtime-url', APPSYNC], {}),
    ).toThrow('--realtime-url must be a wss: or ws: URL');
    expect(() => parseSmokeArgs(['--endpoint', 'localhost:4000', '--iam'], {})).toThrow(
      'must be a https: or http: URL',
    );
  });
});

describe('smoke listing verdict', () => {
  const far = [
    created(schedule('f1', '2030-01-01T00:00:01.000Z')),
    created(schedule('f2', '2030-01-01T00:00:02.000Z')),
  ];
  const cancelled = [created(schedule('c', '2029-01-01T00:00:00.000Z'))];

  it('passes far ones listed and the cancelled one absent', () => {
    // Act
    const verdict = judgeListing(
      far.map((c) => c.schedule),
      far,
      cancelled,
    );

    // Assess
    expect(verdict.failure).toBeUndefined();
  });

  it('retries what the eventually consistent index may still show, and not what it cannot', () => {
    // Act
    const lagging = judgeListing(
      [cancelled[0]!.schedule, ...far.map((c) => c.schedule)],
      far,
      cancelled,
    );
    const repeated = judgeListing(
      [far[0]!.schedule, far[0]!.schedule, far[1]!.schedule],
      far,
      cancelled,
    );
    const unordered = judgeListing([far[1]!.schedule, far[0]!.schedule], far, cancelled);

    // Assess
    expect(lagging).toMatchObject({ retry: true, failure: { seen: 'still listed: c' } });
    expect(repeated).toMatchObject({
      retry: false,
      failure: { seen: 'listed more than once: f1' },
    });
    expect(unordered).toMatchObject({ retry: false, failure: { expected: 'items in due order' } });
  });

  it('takes the nearest-rank percentile', () => {
    // Assess
    expect(percentile([30, 10, 20, 40], 50)).toBe(20);
    expect(percentile([], 50)).toBeUndefined();
  });
});
