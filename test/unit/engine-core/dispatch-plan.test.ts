import { describe, expect, it } from 'vitest';
import { planHold, parseDelayMessage } from '../../../src/engine/dispatch-plan.js';
import { firedEventFrom } from '../../../src/engine/fired-event.js';

const ID = '1805535107123-2-01JD3Q9W7K8M2N4P6R8T0V2X4Z';

describe('planHold', () => {
  it('fires a message that is due or overdue', () => {
    expect(planHold(1000, 1000, 2000)).toEqual({ kind: 'fire' });
    expect(planHold(1000, 5000, 2000)).toEqual({ kind: 'fire' });
  });

  it('holds an early message until its due millisecond, up to the limit', () => {
    expect(planHold(10_750, 10_000, 2000)).toEqual({ kind: 'hold', ms: 750 });
    expect(planHold(12_000, 10_000, 2000)).toEqual({ kind: 'hold', ms: 2000 });
  });

  it('puts a much earlier message back with whole seconds of delay, rounded down', () => {
    expect(planHold(15_500, 10_000, 2000)).toEqual({ kind: 'redelay', delaySeconds: 5 });
    expect(planHold(10_000 + 3_600_000, 10_000, 2000)).toEqual({
      kind: 'redelay',
      delaySeconds: 900,
    });
  });
});

describe('parseDelayMessage', () => {
  it('reads the id and what it says about the schedule', () => {
    const parsed = parseDelayMessage(JSON.stringify({ id: ID }));
    expect(parsed).toEqual({
      ok: true,
      value: { id: ID, dueAtMs: 1805535107123, shard: 2, ulid: '01JD3Q9W7K8M2N4P6R8T0V2X4Z' },
    });
  });

  it.each([
    ['not json', /not JSON; received "not json"/],
    ['{"other":1}', /must be \{"id"/],
    ['null', /must be \{"id"/],
    ['{"id":"abc"}', /not a schedule id; received/],
  ])('refuses %s with a message that says why', (body, message) => {
    const parsed = parseDelayMessage(body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('firedEventFrom', () => {
  it('computes lateness from the stored due and fire times and keeps the payload text', () => {
    const event = firedEventFrom({
      pk: 'p',
      sk: 's',
      id: ID,
      owner: 'alice',
      dueAt: '2027-03-20T09:46:47.123Z',
      firedAt: '2027-03-20T09:46:47.160Z',
      payload: '{"a":1}',
      status: 'FIRED',
      createdAt: '2027-03-20T09:00:00.000Z',
    });
    expect(event).toEqual({
      id: ID,
      owner: 'alice',
      dueAt: '2027-03-20T09:46:47.123Z',
      firedAt: '2027-03-20T09:46:47.160Z',
      latenessMs: 37,
      payload: '{"a":1}',
      key: null,
      labels: [],
    });
  });
});
