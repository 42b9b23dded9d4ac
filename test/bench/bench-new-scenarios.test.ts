import { describe, expect, it } from 'vitest';
import {
  capacityRates,
  highestPassingRate,
  stepPasses,
  stepUntilFailure,
  type CapacityStep,
} from '../../bench/lib/capacity-steps.js';
import {
  judgeByIds,
  judgeByTimes,
  latenessAgainstNew,
  type MovedSchedule,
} from '../../bench/lib/reschedule-judge.js';
import { chunkRanges } from '../../bench/lib/scheduler-api.js';

describe('bench bulk chunks', () => {
  it('covers every index once, in order, at most 25 to a chunk', () => {
    // Act
    const chunks = chunkRanges(53);
    // Assess
    expect(chunks).toEqual([
      { start: 0, end: 25 },
      { start: 25, end: 50 },
      { start: 50, end: 53 },
    ]);
    expect(chunkRanges(0)).toEqual([]);
    expect(chunkRanges(25)).toEqual([{ start: 0, end: 25 }]);
  });

  it('refuses a chunk size that is not a positive integer, naming it', () => {
    expect(() => chunkRanges(10, 0)).toThrow('positive integer; received 0');
  });
});

describe('bench reschedule verdicts', () => {
  // Prepare: three schedules moved from t to t + 5 s; ours changes ids, BullMQ keeps them.
  const moved: MovedSchedule[] = [
    { oldId: 'a0', oldDueMs: 10_000, newId: 'a1', newDueMs: 15_000 },
    { oldId: 'b0', oldDueMs: 10_000, newId: 'b1', newDueMs: 15_000 },
    { oldId: 'c0', oldDueMs: 10_000, newId: 'c1', newDueMs: 15_000 },
  ];

  it('by id: an old id delivered fired at the old time; no id delivered is lost', () => {
    // Act: a fired at both times, b twice at the new time, c never.
    const verdict = judgeByIds(
      moved,
      new Map([
        ['a0', 1],
        ['a1', 1],
        ['b1', 2],
      ]),
    );
    // Assess
    expect(verdict).toEqual({ moved: 3, firedAtOld: 1, firedAtNew: 2, lost: 1, duplicated: 2 });
  });

  it('by time: a delivery nearer the old due time counts for the old time', () => {
    const sameIds = moved.map((schedule) => ({ ...schedule, newId: schedule.oldId }));
    // Act: a at 10.1 s (old), b at 12.4 s (still nearer old) and 15.1 s, c at 12.6 s (new).
    const verdict = judgeByTimes(
      sameIds,
      new Map([
        ['a0', [10_100]],
        ['b0', [12_400, 15_100]],
        ['c0', [12_600]],
      ]),
    );
    // Assess
    expect(verdict).toEqual({ moved: 3, firedAtOld: 2, firedAtNew: 2, lost: 0, duplicated: 1 });
  });

  it('by time: a move to an earlier time splits the other way', () => {
    const earlier = [{ oldId: 'x', oldDueMs: 20_000, newId: 'x', newDueMs: 10_000 }];
    expect(judgeByTimes(earlier, new Map([['x', [10_050]]]))).toMatchObject({
      firedAtOld: 0,
      firedAtNew: 1,
    });
    expect(judgeByTimes(earlier, new Map([['x', [19_000]]]))).toMatchObject({
      firedAtOld: 1,
      firedAtNew: 0,
    });
  });

  it('measures lateness against the new due time, skipping undelivered ones', () => {
    const first = new Map([
      ['a1', 15_040],
      ['c1', 14_990],
    ]);
    expect(latenessAgainstNew(moved, (id) => first.get(id))).toEqual([40, -10]);
  });
});

describe('bench capacity steps', () => {
  const step = (rate: number, p99: number, lost = 0, createdAfterDue = 0): CapacityStep => ({
    rate,
    count: rate * 60,
    p99,
    lost,
    createdAfterDue,
  });

  it('doubles the rate from the first up to the maximum', () => {
    expect(capacityRates(50, 800)).toEqual([50, 100, 200, 400, 800]);
    expect(capacityRates(50, 799)).toEqual([50, 100, 200, 400]);
    expect(() => capacityRates(0, 100)).toThrow('positive; received 0');
  });

  it('passes a step only within the p99 limit, with nothing lost or created late', () => {
    expect(stepPasses(step(50, 200))).toBe(true);
    expect(stepPasses(step(50, 201))).toBe(false);
    expect(stepPasses(step(50, Number.NaN))).toBe(false);
    expect(stepPasses(step(50, 10, 1))).toBe(false);
    expect(stepPasses(step(50, 10, 0, 3))).toBe(false);
  });

  it('reports the highest rate passed before the first failure', () => {
    expect(highestPassingRate([step(50, 20), step(100, 90), step(200, 400)])).toBe(100);
    // A pass after a failure does not count: capacity is the steady rate below the first failure.
    expect(highestPassingRate([step(50, 20), step(100, 900), step(200, 30)])).toBe(50);
    expect(highestPassingRate([step(50, 900)])).toBe(0);
  });

  it('stops measuring after the first failing step', async () => {
    // Prepare
    const measured: number[] = [];
    // Act
    const steps = await stepUntilFailure([50, 100, 200, 400], async (rate) => {
      measured.push(rate);
      return step(rate, rate >= 200 ? 500 : 50);
    });
    // Assess
    expect(measured).toEqual([50, 100, 200]);
    expect(steps.map((one) => one.rate)).toEqual([50, 100, 200]);
  });
});
