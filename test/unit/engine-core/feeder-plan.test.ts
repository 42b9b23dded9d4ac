import { describe, expect, it } from 'vitest';
import { bucketStartMs } from '../../../src/domain/keys.js';
import {
  classifyLive,
  holdsWatermark,
  nextWatermark,
  parseFeederEvent,
  sweepWindow,
} from '../../../src/engine/feeder-plan.js';
import { readEngineSettings } from '../../../src/engine/settings.js';
import type { LiveScheduleRef } from '../../../src/aws/schedule-store.js';

const settings = readEngineSettings({});
const NOW = Date.parse('2027-03-20T09:46:47.123Z');
const iso = (ms: number) => new Date(ms).toISOString();

function ref(fields: Partial<LiveScheduleRef>): LiveScheduleRef {
  return { pk: 'j#x#0', sk: 'x', id: 'x', status: 'QUEUED', dueAt: iso(NOW), ...fields };
}

describe('sweepWindow', () => {
  it('reads from the watermark to the bucket of now + lookahead', () => {
    const window = sweepWindow(NOW, bucketStartMs(NOW - 3_600_000, 300), settings);
    expect(window.fromBucket).toBe(bucketStartMs(NOW - 3_600_000, 300));
    expect(window.toBucket).toBe(bucketStartMs(NOW + 180_000, 300));
    expect(window.horizonMs).toBe(NOW + 180_000);
  });

  it('keeps the advance limit behind now by the grace and the past tolerance', () => {
    const window = sweepWindow(NOW, null, settings);
    expect(window.advanceLimit).toBe(bucketStartMs(NOW - 60_000 - 30_000, 300));
  });

  it('starts a shard with no watermark at the initial lookback', () => {
    const window = sweepWindow(NOW, null, settings);
    expect(window.fromBucket).toBe(bucketStartMs(NOW - 86_400_000, 300));
  });

  it('never starts after the advance limit, even with no lookback', () => {
    const window = sweepWindow(NOW, null, { ...settings, initialLookbackSeconds: 0 });
    expect(window.fromBucket).toBe(window.advanceLimit);
  });
});

describe('classifyLive: FIRING claims and the start-up recovery', () => {
  const window = sweepWindow(NOW, null, settings);
  const firing = (fields: Partial<LiveScheduleRef>) =>
    ref({ status: 'FIRING', dueAt: iso(NOW - 600_000), queuedAt: iso(NOW - 600_000), ...fields });

  it('re-delivers a claim with no progress for the stale period (180 s by default), else waits', () => {
    expect(classifyLive(firing({ claimedAt: iso(NOW - 181_000) }), window)).toBe('redeliver');
    expect(classifyLive(firing({ claimedAt: iso(NOW - 179_000) }), window)).toBe('wait');
    // Released 10 s ago for a new message that has not claimed it yet: on its way.
    const released = firing({ claimedAt: iso(NOW - 400_000), queuedAt: iso(NOW - 10_000) });
    expect(classifyLive(released, window)).toBe('wait');
  });

  it('backs off re-deliveries of one claim: the stale period doubles per hand-over', () => {
    const stale = (sendCount: number, releasedAgoMs: number) =>
      classifyLive(
        firing({
          claimedAt: iso(NOW - 900_000),
          queuedAt: iso(NOW - releasedAgoMs),
          sendCount,
        }),
        window,
      );
    expect([stale(1, 181_000), stale(2, 181_000), stale(2, 361_000)]).toEqual([
      'redeliver',
      'wait',
      'redeliver',
    ]);
    expect([stale(4, 1_439_000), stale(4, 1_441_000)]).toEqual(['wait', 'redeliver']);
  });

  it('leaves a claim whose channels failed MAX_DELIVERY_ATTEMPTS times dead-lettered, even when recovering', () => {
    const dead = firing({ claimedAt: iso(NOW - 600_000), deliveryFailures: 10 });
    expect(classifyLive(dead, window)).toBe('dead');
    expect(classifyLive(dead, sweepWindow(NOW, null, settings, true))).toBe('dead');
    expect(
      classifyLive(firing({ claimedAt: iso(NOW - 600_000), deliveryFailures: 9 }), window),
    ).toBe('redeliver');
  });

  it('recovering: re-hands-over every QUEUED and FIRING schedule at once, up to the fast-path horizon', () => {
    const recovery = sweepWindow(NOW, null, settings, true);
    expect(recovery.horizonMs).toBe(NOW + 900_000);
    const justQueued = ref({ dueAt: iso(NOW + 800_000), queuedAt: iso(NOW - 1000), sendCount: 1 });
    expect(classifyLive(justQueued, window)).toBe('wait');
    expect(classifyLive(justQueued, recovery)).toBe('resend');
    const justClaimed = firing({ claimedAt: iso(NOW - 1000) });
    expect(classifyLive(justClaimed, recovery)).toBe('redeliver');
    expect(classifyLive(ref({ status: 'PENDING' }), recovery)).toBe('send');
  });
});

describe('classifyLive', () => {
  const window = sweepWindow(NOW, null, settings);

  it('sends every PENDING schedule the query returned', () => {
    expect(classifyLive(ref({ status: 'PENDING', dueAt: iso(NOW + 100_000) }), window)).toBe(
      'send',
    );
  });

  it('re-sends a QUEUED schedule overdue and handed over more than the grace ago', () => {
    const stranded = ref({ dueAt: iso(NOW - 61_000), queuedAt: iso(NOW - 61_000), sendCount: 1 });
    expect(classifyLive(stranded, window)).toBe('resend');
  });

  it('waits for a QUEUED schedule handed over recently, however overdue', () => {
    const recent = ref({ dueAt: iso(NOW - 600_000), queuedAt: iso(NOW - 10_000), sendCount: 1 });
    expect(classifyLive(recent, window)).toBe('wait');
  });

  it('waits for a QUEUED schedule not yet overdue by the grace', () => {
    const onItsWay = ref({ dueAt: iso(NOW - 30_000), queuedAt: iso(NOW - 900_000) });
    expect(classifyLive(onItsWay, window)).toBe('wait');
  });

  it('doubles the wait after each re-send', () => {
    const twice = { dueAt: iso(NOW - 600_000), queuedAt: iso(NOW - 150_000) };
    expect(classifyLive(ref({ ...twice, sendCount: 2 }), window)).toBe('resend');
    expect(classifyLive(ref({ ...twice, sendCount: 3 }), window)).toBe('wait');
  });
});

describe('nextWatermark', () => {
  const window = sweepWindow(NOW, bucketStartMs(NOW - 3_600_000, 300), settings);

  it('stops at the first bucket that still holds live work', () => {
    const blocked = bucketStartMs(NOW - 1_800_000, 300);
    expect(nextWatermark(blocked, window, 300)).toBe(blocked);
  });

  it('moves no further than the advance limit when everything is done', () => {
    expect(nextWatermark(null, window, 300)).toBe(window.advanceLimit);
  });
});

describe('parseFeederEvent', () => {
  it('accepts a shard within the shard count', () => {
    expect(parseFeederEvent({ shard: 3 }, 4)).toEqual({ ok: true, shard: 3 });
  });

  it.each([[{ shard: 4 }], [{ shard: -1 }], [{ shard: 1.5 }], [{ shard: '1' }], [null], [{}]])(
    'refuses %j, naming what it received',
    (event) => {
      const result = parseFeederEvent(event, 4);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toContain(`received ${JSON.stringify(event)}`);
    },
  );
});

describe('classifyLive: finished schedules', () => {
  it.each(['FIRED', 'CANCELLED', 'RESCHEDULED'] as const)(
    'never sends a %s schedule again, nor counts it as live work, in a normal or a recovery run',
    (status) => {
      const overdue = ref({
        status,
        dueAt: iso(NOW - 3_600_000),
        queuedAt: iso(NOW - 3_600_000),
        sendCount: 1,
      });
      for (const recovering of [false, true]) {
        const action = classifyLive(overdue, sweepWindow(NOW, null, settings, recovering));
        expect(action).toBe('finished');
        expect(holdsWatermark(action)).toBe(false);
      }
    },
  );

  it('counts waiting schedules as live work and dead-lettered claims as not', () => {
    expect(holdsWatermark('wait')).toBe(true);
    expect(holdsWatermark('send')).toBe(true);
    expect(holdsWatermark('dead')).toBe(false);
  });
});
