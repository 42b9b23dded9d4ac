import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleKey, scheduleKeyRecordKey } from '../../../src/domain/index.js';
import { startEngineHarness, userCaller, type EngineHarness } from './harness.js';

const BUCKET_WIDTH_SECONDS = 300;
const FIELDS = 'id owner dueAt payload status key labels deliver rescheduledTo rescheduledAt';
const CREATE = `mutation Create($input: CreateScheduleInput!) { createSchedule(input: $input) { ${FIELDS} } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelSchedule(id: $id) { id status } }`;

describe('createSchedule with a key and onConflict (dynalite, fauxqs)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  async function item(id: string) {
    const key = scheduleKey(id, BUCKET_WIDTH_SECONDS)!;
    return h.getItem(key.pk, key.sk);
  }
  function create(owner: string, input: Record<string, unknown>) {
    return h.run(userCaller(owner), CREATE, { input });
  }
  /** Stands in for the dispatcher (not under test here): marks the schedule FIRED as its claim would. */
  async function markFired(id: string) {
    const key = scheduleKey(id, BUCKET_WIDTH_SECONDS)!;
    await h.dynamo.send(
      new UpdateItemCommand({
        TableName: h.services.tableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        UpdateExpression: 'SET #s = :fired, firedAt = :now REMOVE pendingOwner',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':fired': { S: 'FIRED' },
          ':now': { S: new Date().toISOString() },
        },
      }),
    );
  }

  it('stores the key, labels and channels, and points the key record at the schedule', async () => {
    // Act
    const result = await create('k-store', {
      delaySeconds: 3600,
      payload: '{"a":1}',
      key: 'order-1',
      labels: ['billing'],
      deliver: ['QUEUE'],
    });

    // Assess
    expect(result.errors).toBeUndefined();
    const schedule = result.data?.['createSchedule'];
    expect(schedule).toMatchObject({ key: 'order-1', labels: ['billing'], deliver: ['QUEUE'] });
    const record = scheduleKeyRecordKey('k-store', 'order-1');
    const stored = await h.getItem(record.pk, record.sk);
    expect(stored).toMatchObject({ scheduleId: schedule.id });
    expect(stored?.['owner']).toBeUndefined();
    expect(stored?.['ttl']).toBeGreaterThan(Date.parse(schedule.dueAt) / 1000);
  });

  it('REJECT (the default): a second create with a live key is a ConflictError naming the key and the holder', async () => {
    // Prepare
    const first = (await create('k-reject', { delaySeconds: 3600, payload: '1', key: 'k1' }))
      .data?.['createSchedule'];

    // Act
    const second = await create('k-reject', { delaySeconds: 600, payload: '2', key: 'k1' });

    // Assess
    expect(second.errors?.[0]?.errorType).toBe('ConflictError');
    expect(second.errors?.[0]?.message).toContain('"k1"');
    expect(second.errors?.[0]?.message).toContain(first.id);
    const page = await h.run(userCaller('k-reject'), 'query { pendingSchedules { items { id } } }');
    expect(page.data?.['pendingSchedules'].items).toEqual([{ id: first.id }]);
  });

  it('the same key of another owner is independent', async () => {
    await create('k-owner-a', { delaySeconds: 3600, payload: '1', key: 'shared' });
    const theirs = await create('k-owner-b', { delaySeconds: 3600, payload: '1', key: 'shared' });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data?.['createSchedule'].owner).toBe('k-owner-b');
  });

  it('KEEP returns the live holder unchanged and writes nothing', async () => {
    // Prepare
    const first = (await create('k-keep', { delaySeconds: 3600, payload: '1', key: 'k' })).data?.[
      'createSchedule'
    ];

    // Act
    const kept = await create('k-keep', {
      delaySeconds: 30,
      payload: '2',
      key: 'k',
      onConflict: 'KEEP',
    });

    // Assess
    expect(kept.errors).toBeUndefined();
    expect(kept.data?.['createSchedule']).toEqual(first);
    const page = await h.run(userCaller('k-keep'), 'query { pendingSchedules { items { id } } }');
    expect(page.data?.['pendingSchedules'].items).toEqual([{ id: first.id }]);
  });

  it('REPLACE moves the holder to the new time and payload: old RESCHEDULED, new live, key record moved on', async () => {
    // Prepare
    const first = (
      await create('k-replace', { delaySeconds: 3600, payload: '"old"', key: 'k', labels: ['x'] })
    ).data?.['createSchedule'];

    // Act
    const replaced = await create('k-replace', {
      delaySeconds: 7200,
      payload: '"new"',
      key: 'k',
      labels: ['y'],
      onConflict: 'REPLACE',
    });

    // Assess
    expect(replaced.errors).toBeUndefined();
    const next = replaced.data?.['createSchedule'];
    expect(next).toMatchObject({ status: 'PENDING', payload: '"new"', key: 'k', labels: ['y'] });
    expect(next.id).not.toBe(first.id);
    expect(await item(first.id)).toMatchObject({ status: 'RESCHEDULED', rescheduledTo: next.id });
    expect((await item(first.id))?.['pendingOwner']).toBeUndefined();
    const stored = await item(next.id);
    expect(stored).toMatchObject({ status: 'PENDING', pendingOwner: 'k-replace' });
    expect(stored?.['supersedes']).toBeUndefined();
    // A third create REJECTs against the new holder, found through the lagging record's one hop.
    const third = await create('k-replace', { delaySeconds: 60, payload: '3', key: 'k' });
    expect(third.errors?.[0]?.message).toContain(next.id);
  });

  it('REPLACE of a fast-path holder by a fast-path one sends a message for the new one only', async () => {
    // Prepare
    const first = (
      await create('k-fast', { delaySeconds: 50, payload: '1', key: 'f', onConflict: 'REPLACE' })
    ).data?.['createSchedule'];
    const bodies = async () =>
      (
        (await h.services.sqs.inspectQueue(h.services.delayQueueUrl.split('/').pop()!))?.delayed ??
        []
      ).map((m) => JSON.parse(m.body).id as string);
    expect(await bodies()).toContain(first.id);

    // Act
    const next = (
      await create('k-fast', { delaySeconds: 40, payload: '2', key: 'f', onConflict: 'REPLACE' })
    ).data?.['createSchedule'];

    // Assess
    expect(next.status).toBe('QUEUED');
    expect(await bodies()).toContain(next.id);
    expect(await item(next.id)).toMatchObject({ status: 'QUEUED', sendCount: 1 });
  });

  it('the key is free again once its holder has fired (the dispatcher stood in for by a direct write)', async () => {
    // Prepare
    const first = (await create('k-fired', { delaySeconds: 3600, payload: '1', key: 'k' })).data?.[
      'createSchedule'
    ];
    await markFired(first.id);

    // Act
    const second = await create('k-fired', { delaySeconds: 3600, payload: '2', key: 'k' });

    // Assess
    expect(second.errors).toBeUndefined();
    const record = scheduleKeyRecordKey('k-fired', 'k');
    expect(await h.getItem(record.pk, record.sk)).toMatchObject({
      scheduleId: second.data?.['createSchedule'].id,
    });
  });

  it('the key is free again once its holder was cancelled', async () => {
    // Prepare
    const first = (await create('k-cancel', { delaySeconds: 3600, payload: '1', key: 'k' })).data?.[
      'createSchedule'
    ];
    await h.run(userCaller('k-cancel'), CANCEL, { id: first.id });

    // Act
    const second = await create('k-cancel', { delaySeconds: 3600, payload: '2', key: 'k' });

    // Assess
    expect(second.errors).toBeUndefined();
    expect(second.data?.['createSchedule'].key).toBe('k');
  });

  it('a replay with the clientToken returns what the first attempt created, even after a REPLACE', async () => {
    // Prepare
    await create('k-replay', { delaySeconds: 3600, payload: '1', key: 'k' });
    const input = {
      delaySeconds: 3000,
      payload: '2',
      key: 'k',
      onConflict: 'REPLACE',
      clientToken: 'r1',
    };
    const first = (await create('k-replay', input)).data?.['createSchedule'];

    // Act
    const again = await create('k-replay', input);

    // Assess
    expect(again.errors).toBeUndefined();
    expect(again.data?.['createSchedule'].id).toBe(first.id);
    const page = await h.run(userCaller('k-replay'), 'query { pendingSchedules { items { id } } }');
    expect(page.data?.['pendingSchedules'].items).toEqual([{ id: first.id }]);
  });

  it.each([
    ['REPLACE', 'REPLACE'],
    ['KEEP', 'KEEP'],
  ])(
    '20 concurrent creates with one key under %s leave exactly one live schedule',
    async (_name, policy) => {
      // Prepare: a holder exists, so every request meets it.
      const owner = `k-race-${policy}`;
      const holder = (await create(owner, { delaySeconds: 3600, payload: '0', key: 'hot' })).data?.[
        'createSchedule'
      ];

      // Act
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          create(owner, {
            delaySeconds: 3000 + n,
            payload: String(n + 1),
            key: 'hot',
            onConflict: policy,
          }),
        ),
      );

      // Assess
      const errors = results.flatMap((r) => (r.errors ?? []).map((e) => e.errorType));
      expect(errors.every((type) => type === 'ConflictError')).toBe(true);
      const ids = [
        holder.id,
        ...results.flatMap((r) => (r.data ? [r.data['createSchedule'].id] : [])),
      ];
      const statuses = await Promise.all(
        [...new Set(ids)].map(async (id) => (await item(id))?.['status']),
      );
      expect(statuses.filter((s) => s === 'PENDING' || s === 'QUEUED')).toHaveLength(1);
      expect(statuses.every((s) => s === 'PENDING' || s === 'RESCHEDULED')).toBe(true);
      const page = await h.run(userCaller(owner), 'query { pendingSchedules { items { id } } }');
      expect(page.data?.['pendingSchedules'].items).toHaveLength(1);
    },
  );

  it('20 concurrent creates of a free key under REPLACE leave exactly one live schedule', async () => {
    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        create('k-race-free', {
          delaySeconds: 3000 + n,
          payload: String(n),
          key: 'hot',
          onConflict: 'REPLACE',
        }),
      ),
    );

    // Assess
    const ids = results.flatMap((r) => (r.data ? [r.data['createSchedule'].id] : []));
    expect(ids.length).toBeGreaterThan(0);
    const statuses = await Promise.all(ids.map(async (id) => (await item(id))?.['status']));
    expect(statuses.filter((s) => s === 'PENDING')).toHaveLength(1);
    const page = await h.run(
      userCaller('k-race-free'),
      'query { pendingSchedules { items { id } } }',
    );
    expect(page.data?.['pendingSchedules'].items).toHaveLength(1);
  });

  it('a key record naming a schedule not written yet is held for the settle time, then free', async () => {
    // Prepare: another request took the key a moment ago and has not put its schedule yet.
    const record = scheduleKeyRecordKey('k-taking', 'k');
    const unwritten = `${Date.now() + 3_600_000}-0-01ARZ3NDEKTSV4RRFFQ69G5FAV`;
    const putRecord = (takenAt: number) =>
      h.dynamo.send(
        new PutItemCommand({
          TableName: h.services.tableName,
          Item: marshall({ ...record, scheduleId: unwritten, ttl: 4_000_000_000, takenAt }),
        }),
      );
    await putRecord(Date.now());

    // Act
    const early = await create('k-taking', { delaySeconds: 3600, payload: '1', key: 'k' });
    await putRecord(Date.now() - 61_000);
    const later = await create('k-taking', { delaySeconds: 3600, payload: '1', key: 'k' });

    // Assess
    expect(early.errors?.[0]?.errorType).toBe('ConflictError');
    expect(early.errors?.[0]?.message).toContain(unwritten);
    expect(later.errors).toBeUndefined();
  });

  it.each([
    [{ key: '' }, 'input.key', '0'],
    [{ key: 'a'.repeat(129) }, 'input.key', '129'],
    [{ key: 'bad key' }, 'input.key', '" "'],
    [{ onConflict: 'REPLACE' }, 'input.onConflict', 'without a key'],
    [{ key: 'k', onConflict: 'MERGE' }, 'input.onConflict', 'MERGE'],
  ])('refuses %j naming the field and the value', async (extra, field, value) => {
    const result = await create('k-bad', { delaySeconds: 60, payload: '1', ...extra });
    expect(result.errors?.[0]?.errorType).toBe('ValidationError');
    expect(result.errors?.[0]?.message).toContain(field);
    expect(result.errors?.[0]?.message).toContain(value);
  });
});
