/*
 * The schedule store's observable contract (src/aws/schedule-store.ts): which conditional writes
 * win or lose, what queries return and in which order, and what they project. Written against
 * the methods' outcomes rather than their expressions, so it holds while the states evolve.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ScheduleStore, type ClaimRequest } from '../../src/aws/schedule-store.js';
import type { ScheduleKey } from '../../src/domain/keys.js';
import { Status, isLive } from '../../src/domain/status.js';
import type { BackendContext } from './backends.js';
import {
  BUCKET_PK,
  BUCKET_START_MS,
  createTestTable,
  scheduleItem,
  type TestTable,
} from './tables.js';

/** The one place that knows ClaimRequest's fields: a fresh claim by `messageId` at `nowMs`. */
function claimBy(key: ScheduleKey, messageId: string, nowMs = Date.now()): ClaimRequest {
  return { key, messageId, nowMs, staleBeforeMs: nowMs - 60_000 };
}

function keyOf(item: { pk: string; sk: string }): ScheduleKey {
  return { pk: item.pk, sk: item.sk };
}

/** Contract: queryLive, markQueued, claim and get. */
export function scheduleStoreContract(context: () => BackendContext): void {
  let table: TestTable;
  let store: ScheduleStore;
  beforeAll(async () => {
    table = await createTestTable(context().dynamo);
    store = new ScheduleStore(table.client, table.tableName);
  });
  afterAll(async () => {
    await table.drop();
  });

  it('get reads back what was written, and null for a missing key', async () => {
    // Prepare
    const item = scheduleItem(100);
    await table.put(item);

    // Act
    const found = await store.get(keyOf(item));
    const missing = await store.get({ pk: BUCKET_PK, sk: 'no-such-sort-key' });

    // Assess
    expect(found).toEqual(item);
    expect(missing).toBeNull();
  });

  it('queryLive pages through live items due by the bound, in due order, without payloads', async () => {
    // Prepare: a partition of its own, items written out of order, some finished, one too late.
    const pk = 'j#2027-03-20T09:50#1';
    const at = (offsetMs: number, status: Parameters<typeof scheduleItem>[1]) => ({
      ...scheduleItem(offsetMs, status),
      pk,
    });
    const due = [at(5_000, Status.queued), at(1_000, Status.pending), at(3_000, Status.pending)];
    const finished = [at(2_000, Status.cancelled), at(4_000, Status.fired)];
    const tooLate = at(9_000, Status.pending);
    for (const item of [...due, ...finished, tooLate]) await table.put(item);
    const dueUpToMs = BUCKET_START_MS + 5_000;

    // Act: pages of two items read, before the status filter.
    const pages = [];
    let startKey: Parameters<ScheduleStore['queryLive']>[3];
    do {
      const page = await store.queryLive(pk, dueUpToMs, 2, startKey);
      pages.push(page);
      startKey = page.nextKey;
    } while (startKey !== undefined && pages.length < 10);

    // Assess
    const seen = pages.flatMap((page) => page.items);
    expect(seen.map((item) => item.id)).toEqual(
      [...due].sort((a, b) => a.sk.localeCompare(b.sk)).map((item) => item.id),
    );
    expect(seen[0]).toMatchObject({ pk, status: Status.pending, dueAt: due[1]?.dueAt });
    expect(seen.every((item) => !('payload' in item) && !('owner' in item))).toBe(true);
    expect(pages.map((page) => page.scannedCount).reduce((a, b) => a + b, 0)).toBe(5);
    expect(pages.every((page) => page.items.length <= 2)).toBe(true);
  });

  it('queryLive includes a schedule due exactly at the bound', async () => {
    // Prepare
    const pk = 'j#2027-03-20T09:55#0';
    const item = { ...scheduleItem(7_000), pk };
    await table.put(item);

    // Act
    const exact = await store.queryLive(pk, BUCKET_START_MS + 7_000, 10);
    const before = await store.queryLive(pk, BUCKET_START_MS + 6_999, 10);

    // Assess
    expect(exact.items.map((i) => i.id)).toEqual([item.id]);
    expect(before.items).toEqual([]);
  });

  it('markQueued moves a live schedule to QUEUED and counts the send; a finished one is left alone', async () => {
    // Prepare
    const pending = scheduleItem(200, Status.pending);
    const cancelled = scheduleItem(300, Status.cancelled);
    await table.put(pending);
    await table.put(cancelled);

    // Act
    const first = await store.markQueued(keyOf(pending), BUCKET_START_MS);
    const again = await store.markQueued(keyOf(pending), BUCKET_START_MS + 1_000);
    const refused = await store.markQueued(keyOf(cancelled), BUCKET_START_MS);
    const missing = await store.markQueued({ pk: BUCKET_PK, sk: 'missing' }, BUCKET_START_MS);

    // Assess
    expect([first, again, refused, missing]).toEqual([true, true, false, false]);
    expect(await store.get(keyOf(pending))).toMatchObject({
      status: Status.queued,
      sendCount: 2,
      queuedAt: '2027-03-20T09:45:01.000Z',
    });
    expect(await store.get(keyOf(cancelled))).toEqual(cancelled);
    expect(await store.get({ pk: BUCKET_PK, sk: 'missing' })).toBeNull();
  });

  it('claim: exactly one of two concurrent messages wins, and the item leaves the owner index', async () => {
    // Prepare
    const item = scheduleItem(400, Status.queued);
    await table.put(item);

    // Act
    const results = await Promise.all([
      store.claim(claimBy(keyOf(item), 'message-a')),
      store.claim(claimBy(keyOf(item), 'message-b')),
    ]);

    // Assess
    const winners = results.filter((result) => result !== null);
    expect(winners).toHaveLength(1);
    const stored = await store.get(keyOf(item));
    expect(isLive(stored?.status ?? Status.pending)).toBe(false);
    expect(stored?.claimedBy).toBe(winners[0]?.claimedBy);
    expect(stored).not.toHaveProperty('pendingOwner');
    expect(winners[0]).toMatchObject({ id: item.id, payload: item.payload, owner: item.owner });
  });

  it('claim: the winning message may claim again (a redelivery); another message may not', async () => {
    // Prepare
    const item = scheduleItem(500, Status.pending);
    await table.put(item);
    const first = await store.claim(claimBy(keyOf(item), 'message-c'));

    // Act
    const redelivery = await store.claim(claimBy(keyOf(item), 'message-c'));
    const other = await store.claim(claimBy(keyOf(item), 'message-d'));

    // Assess
    expect(first).not.toBeNull();
    expect(redelivery).toMatchObject({
      id: item.id,
      claimedBy: 'message-c',
      firedAt: first?.firedAt,
    });
    expect(other).toBeNull();
  });

  it('claim: a cancelled schedule and a missing one are not claimed, and nothing is created', async () => {
    // Prepare
    const cancelled = scheduleItem(600, Status.cancelled);
    await table.put(cancelled);
    const missing = { pk: BUCKET_PK, sk: 'never-written' };

    // Act
    const results = await Promise.all([
      store.claim(claimBy(keyOf(cancelled), 'message-e')),
      store.claim(claimBy(missing, 'message-f')),
    ]);

    // Assess
    expect(results).toEqual([null, null]);
    expect(await store.get(keyOf(cancelled))).toEqual(cancelled);
    expect(await store.get(missing)).toBeNull();
  });
}
