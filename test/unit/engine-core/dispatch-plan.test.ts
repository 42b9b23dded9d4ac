import { describe, expect, it } from 'vitest';
import { planHold, planSupersede, parseDelayMessage } from '../../../src/engine/dispatch-plan.js';
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

describe('planSupersede', () => {
  const created = Date.parse('2027-03-20T09:46:47.123Z');
  const replacement = { id: 'N', createdAt: new Date(created).toISOString() };

  it('confirms a replacement once its old schedule is RESCHEDULED to it, however old', () => {
    const old = { status: 'RESCHEDULED', rescheduledTo: 'N' } as const;
    expect(planSupersede(replacement, old, created + 100)).toEqual({ kind: 'confirm' });
    expect(planSupersede(replacement, old, created + 3_600_000)).toEqual({ kind: 'confirm' });
  });

  it.each([
    ['still live', { status: 'PENDING' } as const],
    ['rescheduled to another', { status: 'RESCHEDULED', rescheduledTo: 'M' } as const],
    ['fired', { status: 'FIRED' } as const],
    ['missing', null],
  ])('waits while an old schedule %s may still be retired, then voids it', (_, old) => {
    expect(planSupersede(replacement, old, created + 500)).toEqual({
      kind: 'retry',
      delaySeconds: 1,
    });
    expect(planSupersede(replacement, old, created + 60_000)).toMatchObject({ kind: 'retry' });
    expect(planSupersede(replacement, old, created + 60_001)).toEqual({ kind: 'void' });
  });

  it('looks again after half the age, at most 10 s and not much past the settle time', () => {
    const at = (ageMs: number) => planSupersede(replacement, { status: 'QUEUED' }, created + ageMs);
    expect(at(6_000)).toEqual({ kind: 'retry', delaySeconds: 3 });
    expect(at(40_000)).toEqual({ kind: 'retry', delaySeconds: 10 });
    expect(at(57_500)).toEqual({ kind: 'retry', delaySeconds: 3 });
  });

  it('voids a replacement whose createdAt cannot be read', () => {
    expect(planSupersede({ id: 'N', createdAt: 'garbage' }, null, created)).toEqual({
      kind: 'void',
    });
  });
});
