import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_KEY_CALLER,
  CREATE,
  SCHEDULE_FIELDS,
  startEngineHarness,
  userCaller,
  type EngineHarness,
  type JsonResult,
} from './harness.js';

const SCHEDULE = `query One($id: ID!) { schedule(id: $id) { ${SCHEDULE_FIELDS} } }`;
const PENDING = `query Pending($from: AWSDateTime, $to: AWSDateTime, $limit: Int, $nextToken: String) {
  pendingSchedules(from: $from, to: $to, limit: $limit, nextToken: $nextToken) {
    items { id owner dueAt status }
    nextToken
  }
}`;

describe('schedule and pendingSchedules through the engine (dynalite)', () => {
  let h: EngineHarness;
  const base = Date.now() + 7_200_000;
  const dueAt = (minute: number) => new Date(base + minute * 60_000).toISOString();
  const created: Record<string, string[]> = { paula: [], quinn: [] };

  beforeAll(async () => {
    h = await startEngineHarness();
    // Interleaved due times for two owners, created out of order.
    for (const minute of [5, 1, 4, 2, 3]) {
      for (const owner of ['paula', 'quinn']) {
        const result = await h.run(userCaller(owner), CREATE, {
          input: { dueAt: dueAt(minute), payload: `{"m":${minute}}` },
        });
        created[owner]!.push(result.data?.['createSchedule'].id);
      }
    }
  });
  afterAll(async () => {
    await h.stop();
  });

  it('schedule(id) returns the caller own schedule, null for another owner or a missing id', async () => {
    // Prepare
    const id = created['paula']![0]!;

    // Act
    const own = await h.run(userCaller('paula'), SCHEDULE, { id });
    const other = await h.run(userCaller('quinn'), SCHEDULE, { id });
    const junk = await h.run(userCaller('paula'), SCHEDULE, { id: 'nope' });

    // Assess
    expect(own.data?.['schedule']).toMatchObject({ id, owner: 'paula', payload: '{"m":5}' });
    expect(other).toEqual({ data: { schedule: null } });
    expect(junk).toEqual({ data: { schedule: null } });
  });

  it('pages through the caller own schedules in due order, never another owner', async () => {
    // Act
    const seen: { id: string; owner: string; dueAt: string }[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page: JsonResult = await h.run(userCaller('paula'), PENDING, { limit: 2, nextToken });
      expect(page.errors).toBeUndefined();
      seen.push(...(page.data?.['pendingSchedules'].items ?? []));
      nextToken = page.data?.['pendingSchedules'].nextToken;
      pages += 1;
    } while (nextToken !== null && pages < 10);

    // Assess
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.map((s) => s.owner)).toEqual(Array(5).fill('paula'));
    expect(seen.map((s) => s.dueAt)).toEqual([1, 2, 3, 4, 5].map(dueAt));
    expect(new Set(seen.map((s) => s.id))).toEqual(new Set(created['paula']));
  });

  it('from and to bound the due times, inclusively', async () => {
    // Act
    const page = await h.run(userCaller('quinn'), PENDING, { from: dueAt(2), to: dueAt(4) });

    // Assess
    expect(page.data?.['pendingSchedules'].items.map((s: { dueAt: string }) => s.dueAt)).toEqual(
      [2, 3, 4].map(dueAt),
    );
    expect(page.data?.['pendingSchedules'].nextToken).toBeNull();
  });

  it('another owner nextToken cannot read that owner items', async () => {
    // Prepare
    const quinnPage = await h.run(userCaller('quinn'), PENDING, { limit: 1 });
    const quinnToken = quinnPage.data?.['pendingSchedules'].nextToken;

    // Act
    const withTheirToken = await h.run(userCaller('paula'), PENDING, { nextToken: quinnToken });
    const crafted = await h.run(userCaller('paula'), PENDING, {
      nextToken: Buffer.from(JSON.stringify({ pendingOwner: 'quinn' })).toString('base64'),
    });

    // Assess
    for (const result of [withTheirToken, crafted]) {
      const items = result.data?.['pendingSchedules']?.items ?? [];
      expect(items.every((s: { owner: string }) => s.owner === 'paula')).toBe(true);
    }
    expect(crafted.errors?.length ?? 0).toBeGreaterThan(0);
  });

  it('an API-key caller sees only the shared api-key owner schedules', async () => {
    // Act
    const page = await h.run(API_KEY_CALLER, PENDING, {});

    // Assess
    expect(page.data?.['pendingSchedules']).toEqual({ items: [], nextToken: null });
  });

  it('limit outside 1..100 and from after to are ValidationErrors', async () => {
    // Act
    const tooMany = await h.run(userCaller('paula'), PENDING, { limit: 101 });
    const zero = await h.run(userCaller('paula'), PENDING, { limit: 0 });
    const reversed = await h.run(userCaller('paula'), PENDING, { from: dueAt(3), to: dueAt(1) });

    // Assess
    expect(tooMany.errors?.[0]).toMatchObject({
      errorType: 'ValidationError',
      message: 'limit must be a whole number from 1 to 100; received 101',
    });
    expect(zero.errors?.[0]?.errorType).toBe('ValidationError');
    expect(reversed.errors?.[0]?.message).toContain('from must not be after to');
  });
});
