import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleItem } from '../../../src/domain/index.js';
import { API_KEY_CALLER, startEngineHarness, userCaller, type EngineHarness } from './harness.js';
import { putItems, storedItem } from './stored-schedules.js';

const SCHEDULES = `query S($filter: ScheduleFilter, $limit: Int, $nextToken: String, $order: SortOrder) {
  schedules(filter: $filter, limit: $limit, nextToken: $nextToken, order: $order) {
    items { id owner status dueAt firedAt latenessMs labels deliver rescheduledTo }
    nextToken
  }
}`;
const PENDING = `{ pendingSchedules { items { id labels deliver latenessMs } nextToken } }`;

const BASE = Date.UTC(2030, 0, 1, 12, 0, 0);
const alice = userCaller('alice');

interface Listed {
  id: string;
  status: string;
  firedAt: string | null;
  latenessMs: number | null;
  labels: string[];
  deliver: string[];
}

describe('schedules: the history of the caller own schedules (engine, dynalite)', () => {
  let h: EngineHarness;
  let mine: ScheduleItem[];
  let fired: ScheduleItem;
  let legacy: ScheduleItem;
  let unconfirmed: ScheduleItem;

  /** Reads every page with these arguments; returns the items in order and the page sizes. */
  async function readAll(variables: Record<string, unknown>) {
    const items: Listed[] = [];
    const sizes: number[] = [];
    let nextToken: string | null = null;
    do {
      const result = await h.run(alice, SCHEDULES, { ...variables, nextToken });
      expect(result.errors).toBeUndefined();
      const page = result.data?.['schedules'] as { items: Listed[]; nextToken: string | null };
      items.push(...page.items);
      sizes.push(page.items.length);
      nextToken = page.nextToken;
    } while (nextToken !== null);
    return { items, sizes };
  }

  beforeAll(async () => {
    h = await startEngineHarness();
    const at = (minutes: number) => BASE + minutes * 60_000;
    fired = storedItem({
      owner: 'alice',
      dueAtMs: at(1),
      status: 'FIRED',
      firedAt: new Date(at(1) + 37).toISOString(),
      labels: ['red'],
      deliver: ['QUEUE'],
    });
    // Written before labels and delivery channels existed: neither attribute.
    legacy = storedItem({ owner: 'alice', dueAtMs: at(2) });
    const replacement = storedItem({ owner: 'alice', dueAtMs: at(9), labels: ['red'] });
    mine = [
      fired,
      legacy,
      storedItem({ owner: 'alice', dueAtMs: at(3), status: 'CANCELLED', labels: ['red', 'blue'] }),
      storedItem({
        owner: 'alice',
        dueAtMs: at(4),
        status: 'RESCHEDULED',
        labels: ['red'],
        rescheduledTo: replacement.id,
      }),
      storedItem({ owner: 'alice', dueAtMs: at(5), status: 'QUEUED', labels: ['blue'] }),
      storedItem({ owner: 'alice', dueAtMs: at(6), labels: ['red'] }),
      storedItem({ owner: 'alice', dueAtMs: at(7), labels: [] }),
      storedItem({ owner: 'alice', dueAtMs: at(8), labels: ['red'] }),
      replacement,
    ];
    // A replacement never confirmed (its reschedule lost): not a schedule of alice's.
    unconfirmed = storedItem({
      owner: 'alice',
      dueAtMs: at(4),
      status: 'CANCELLED',
      labels: ['red'],
      supersedes: mine[3]?.id,
    });
    // Interleaved with alice's, carrying her labels: must never appear in her lists.
    const others = [1, 3, 5, 7, 9].map((minute) =>
      storedItem({ owner: 'bob', dueAtMs: at(minute) + 1, status: 'FIRED', labels: ['red'] }),
    );
    await putItems(h.dynamo, h.services.tableName, [...mine, unconfirmed, ...others]);
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  it('lists every state in due order, fired ones with firedAt and latenessMs, never another owner', async () => {
    // Act
    const { items } = await readAll({});

    // Assess
    expect(items.map((item) => item.id)).toEqual(mine.map((item) => item.id));
    expect(items.map((item) => item.status)).toEqual([
      'FIRED',
      'PENDING',
      'CANCELLED',
      'RESCHEDULED',
      'QUEUED',
      'PENDING',
      'PENDING',
      'PENDING',
      'PENDING',
    ]);
    expect(items[0]).toMatchObject({ firedAt: fired.firedAt, latenessMs: 37, deliver: ['QUEUE'] });
    expect(items[1]).toMatchObject({
      latenessMs: null,
      labels: [],
      deliver: ['SUBSCRIPTION', 'QUEUE'],
    });
    expect(items[3]).toMatchObject({ rescheduledTo: mine[8]?.id });
  });

  it('keeps only the label and the statuses asked for', async () => {
    // Act
    const red = await readAll({ filter: { label: 'red' } });
    const redLive = await readAll({ filter: { label: 'red', status: ['PENDING', 'QUEUED'] } });
    const finished = await readAll({ filter: { status: ['FIRED', 'CANCELLED'] } });

    // Assess
    const ids = (list: { items: Listed[] }) => list.items.map((item) => item.id);
    expect(ids(red)).toEqual([0, 2, 3, 5, 7, 8].map((i) => mine[i]?.id));
    expect(ids(redLive)).toEqual([5, 7, 8].map((i) => mine[i]?.id));
    expect(ids(finished)).toEqual([0, 2].map((i) => mine[i]?.id));
  });

  it('reads newest first with order DESC, within from and to', async () => {
    // Act
    const { items } = await readAll({
      order: 'DESC',
      filter: {
        from: new Date(BASE + 2 * 60_000).toISOString(),
        to: new Date(BASE + 6 * 60_000).toISOString(),
      },
    });

    // Assess
    expect(items.map((item) => item.id)).toEqual([5, 4, 3, 2, 1].map((i) => mine[i]?.id));
  });

  it('pages to the end with a filter: every match exactly once, pages of at most limit', async () => {
    // Act
    const asc = await readAll({ limit: 2, filter: { label: 'red' } });
    const desc = await readAll({ limit: 3, order: 'DESC', filter: { label: 'red' } });

    // Assess
    const expected = [0, 2, 3, 5, 7, 8].map((i) => mine[i]?.id);
    expect(asc.items.map((item) => item.id)).toEqual(expected);
    expect(desc.items.map((item) => item.id)).toEqual(expected.slice().reverse());
    expect(Math.max(...asc.sizes)).toBeLessThanOrEqual(2);
    // The index holds 10 of alice's items (the unconfirmed one too): 5 pages of 2 at least.
    expect(asc.sizes.length).toBeGreaterThanOrEqual(5);
  });

  it('shows another owner none of alice schedules', async () => {
    // Act
    const result = await h.run(API_KEY_CALLER, SCHEDULES, {});

    // Assess
    expect(result.errors).toBeUndefined();
    expect(result.data?.['schedules']).toEqual({ items: [], nextToken: null });
  });

  it.each([
    [{ limit: 0 }, 'limit must be a whole number from 1 to 100; received 0'],
    [{ limit: 101 }, 'limit must be a whole number from 1 to 100; received 101'],
    [{ filter: { label: 'no spaces' } }, 'filter.label may hold only'],
    [{ filter: { label: '' } }, 'filter.label must be 1 to 64 characters; received 0'],
    [{ filter: { status: [] } }, 'filter.status must name at least one status; received []'],
    [{ filter: { status: ['FIRED', 'FIRED'] } }, 'filter.status[1] repeats FIRED'],
    [
      { filter: { from: '2030-01-02T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' } },
      'from must not be after to',
    ],
    [{ nextToken: '' }, 'nextToken must be a token from a previous page'],
  ])('refuses %j with a ValidationError naming the field', async (variables, message) => {
    // Act
    const result = await h.run(alice, SCHEDULES, variables);

    // Assess
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.errorType).toBe('ValidationError');
    expect(result.errors?.[0]?.message).toContain(message);
  });

  it('pendingSchedules still lists live schedules, old ones with labels [] and both channels', async () => {
    // Act
    const result = await h.run(alice, PENDING);

    // Assess
    expect(result.errors).toBeUndefined();
    const items = (result.data?.['pendingSchedules'] as { items: Listed[] }).items;
    expect(items.map((item) => item.id)).toEqual([1, 4, 5, 6, 7, 8].map((i) => mine[i]?.id));
    expect(items[0]).toEqual({
      id: legacy.id,
      labels: [],
      deliver: ['SUBSCRIPTION', 'QUEUE'],
      latenessMs: null,
    });
  });
});
