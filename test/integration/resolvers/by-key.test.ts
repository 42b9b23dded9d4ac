import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleItem } from '../../../src/domain/index.js';
import { startEngineHarness, userCaller, type EngineHarness } from './harness.js';
import { putItems, putKeyRecord, storedItem } from './stored-schedules.js';

const GET = `query G($id: ID, $key: String) {
  schedule(id: $id, key: $key) { id status key labels deliver latenessMs rescheduledTo }
}`;
const CANCEL = `mutation C($id: ID, $key: String) {
  cancelSchedule(id: $id, key: $key) { id status key cancelledAt }
}`;

const FUTURE = Date.now() + 30 * 86_400_000;
const alice = userCaller('alice');
const bob = userCaller('bob');

describe('schedule and cancelSchedule by key (engine, dynalite)', () => {
  let h: EngineHarness;
  /** Stores a schedule of alice's with `key` and points the key record at it. */
  async function keyed(key: string, spec: Partial<ScheduleItem> = {}): Promise<ScheduleItem> {
    const item = storedItem({ owner: 'alice', dueAtMs: FUTURE, key, labels: [], ...spec });
    await putItems(h.dynamo, h.services.tableName, [item]);
    await putKeyRecord(h.dynamo, h.services.tableName, 'alice', key, item.id);
    return item;
  }
  /** Stores O rescheduled to N; the key record still names O (the repoint was lost). */
  async function rescheduled(key: string) {
    const replacement = storedItem({ owner: 'alice', dueAtMs: FUTURE + 60_000, key, labels: [] });
    const old = await keyed(key, { status: 'RESCHEDULED', rescheduledTo: replacement.id });
    await putItems(h.dynamo, h.services.tableName, [replacement]);
    return { old, replacement };
  }

  beforeAll(async () => {
    h = await startEngineHarness();
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  it('schedule(key) returns the live holder; another owner with the same key sees nothing', async () => {
    // Prepare
    const holder = await keyed('order-1');

    // Act
    const mine = await h.run(alice, GET, { key: 'order-1' });
    const theirs = await h.run(bob, GET, { key: 'order-1' });

    // Assess
    expect(mine.data?.['schedule']).toMatchObject({
      id: holder.id,
      status: 'PENDING',
      key: 'order-1',
    });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data?.['schedule']).toBeNull();
  });

  it('schedule(key) follows one hop past a reschedule whose key record was not repointed', async () => {
    // Prepare
    const { replacement } = await rescheduled('order-2');

    // Act
    const result = await h.run(alice, GET, { key: 'order-2' });

    // Assess
    expect(result.data?.['schedule']).toMatchObject({ id: replacement.id, status: 'PENDING' });
  });

  it('schedule(key) still shows a fired holder, with its lateness; an unknown key is null', async () => {
    // Prepare
    const dueAt = new Date(FUTURE).toISOString();
    const fired = await keyed('order-3', {
      status: 'FIRED',
      firedAt: new Date(FUTURE + 12).toISOString(),
      dueAt,
    });

    // Act
    const result = await h.run(alice, GET, { key: 'order-3' });
    const unknown = await h.run(alice, GET, { key: 'never-used' });

    // Assess
    expect(result.data?.['schedule']).toMatchObject({
      id: fired.id,
      status: 'FIRED',
      latenessMs: 12,
    });
    expect(unknown.data?.['schedule']).toBeNull();
  });

  it('a key record naming a schedule without that key means the key is free', async () => {
    // Prepare: the record names a schedule of alice's that carries another key
    const other = await keyed('order-4a');
    await putKeyRecord(h.dynamo, h.services.tableName, 'alice', 'order-4', other.id);

    // Act
    const read = await h.run(alice, GET, { key: 'order-4' });
    const cancel = await h.run(alice, CANCEL, { key: 'order-4' });

    // Assess
    expect(read.data?.['schedule']).toBeNull();
    expect(cancel.errors?.[0]).toMatchObject({ errorType: 'NotFoundError' });
    expect(cancel.errors?.[0]?.message).toContain('order-4');
    expect((await h.getItem(other.pk, other.sk))?.['status']).toBe('PENDING');
  });

  it('cancelSchedule(key) cancels the holder past a reschedule; again: AlreadyCancelledError naming the id', async () => {
    // Prepare
    const { old, replacement } = await rescheduled('order-5');

    // Act
    const first = await h.run(alice, CANCEL, { key: 'order-5' });
    const again = await h.run(alice, CANCEL, { key: 'order-5' });

    // Assess
    expect(first.errors).toBeUndefined();
    expect(first.data?.['cancelSchedule']).toMatchObject({
      id: replacement.id,
      status: 'CANCELLED',
    });
    expect((await h.getItem(replacement.pk, replacement.sk))?.['status']).toBe('CANCELLED');
    expect((await h.getItem(old.pk, old.sk))?.['status']).toBe('RESCHEDULED');
    expect(again.errors?.[0]?.errorType).toBe('AlreadyCancelledError');
    expect(again.errors?.[0]?.message).toContain(replacement.id);
  });

  it('cancelSchedule(key) of a fired holder: AlreadyFiredError; another owner: NotFoundError', async () => {
    // Prepare
    const fired = await keyed('order-6', { status: 'FIRED', firedAt: new Date().toISOString() });
    const live = await keyed('order-7');

    // Act
    const ofFired = await h.run(alice, CANCEL, { key: 'order-6' });
    const byBob = await h.run(bob, CANCEL, { key: 'order-7' });

    // Assess
    expect(ofFired.errors?.[0]?.errorType).toBe('AlreadyFiredError');
    expect(ofFired.errors?.[0]?.message).toContain(fired.id);
    expect(byBob.errors?.[0]?.errorType).toBe('NotFoundError');
    expect((await h.getItem(live.pk, live.sk))?.['status']).toBe('PENDING');
  });

  it('cancelSchedule(id) of a RESCHEDULED schedule: ConflictError naming the new id', async () => {
    // Prepare
    const { old, replacement } = await rescheduled('order-8');

    // Act
    const result = await h.run(alice, CANCEL, { id: old.id });

    // Assess
    expect(result.errors?.[0]?.errorType).toBe('ConflictError');
    expect(result.errors?.[0]?.message).toContain(replacement.id);
    expect((await h.getItem(replacement.pk, replacement.sk))?.['status']).toBe('PENDING');
  });

  it.each([
    [GET, {}, 'neither'],
    [GET, { id: 'x', key: 'y' }, 'both'],
    [CANCEL, {}, 'neither'],
    [CANCEL, { id: 'x', key: 'y' }, 'both'],
    [GET, { key: 'has space' }, 'key may hold only'],
    [CANCEL, { key: 'k'.repeat(129) }, 'key must be 1 to 128 characters; received 129'],
  ])('refuses %#: id and key, exactly one, valid (%j)', async (query, variables, message) => {
    // Act
    const result = await h.run(alice, query, variables);

    // Assess
    expect(result.errors?.[0]?.errorType).toBe('ValidationError');
    expect(result.errors?.[0]?.message).toContain(message);
  });
});
