import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleKey, scheduleKeyRecordKey } from '../../../src/domain/index.js';
import { startEngineHarness, userCaller, type EngineHarness } from './harness.js';

const BUCKET_WIDTH_SECONDS = 300;
const FIELDS = 'id owner dueAt payload status key labels deliver rescheduledTo';
const CREATE = `mutation Create($input: CreateScheduleInput!) { createSchedule(input: $input) { ${FIELDS} } }`;
const RESCHEDULE = `mutation R($id: ID, $key: String, $dueAt: AWSDateTime, $delaySeconds: Int) {
  rescheduleSchedule(id: $id, key: $key, dueAt: $dueAt, delaySeconds: $delaySeconds) { ${FIELDS} }
}`;
const CANCEL = `mutation Cancel($id: ID!) { cancelSchedule(id: $id) { id status } }`;

// The harness's fast path is 60 s: delays up to 60 are fast, beyond are far.
describe('rescheduleSchedule through the engine and the APPSYNC_JS runtime (dynalite, fauxqs)', () => {
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
  async function create(owner: string, input: Record<string, unknown>) {
    const result = await h.run(userCaller(owner), CREATE, { input });
    expect(result.errors).toBeUndefined();
    return result.data?.['createSchedule'];
  }
  function reschedule(owner: string, args: Record<string, unknown>) {
    return h.run(userCaller(owner), RESCHEDULE, args);
  }
  async function delayedIds(): Promise<string[]> {
    const name = h.services.delayQueueUrl.split('/').pop()!;
    const queue = await h.services.sqs.inspectQueue(name);
    return [...(queue?.delayed ?? []), ...(queue?.ready ?? [])].map(
      (m) => JSON.parse(m.body).id as string,
    );
  }

  it.each([
    ['fast -> far', 30, 3600, 'PENDING'],
    ['far -> fast', 3600, 30, 'QUEUED'],
    ['far -> far', 3600, 7200, 'PENDING'],
    ['fast -> fast', 30, 45, 'QUEUED'],
  ])('%s: the old item is RESCHEDULED towards a new live item', async (name, from, to, status) => {
    // Prepare
    const owner = `r-${name.replace(/ -> /, '-')}`;
    const old = await create(owner, {
      delaySeconds: from,
      payload: '{"p":1}',
      key: 'k',
      labels: ['l1'],
      deliver: ['QUEUE'],
    });
    const sentBefore = await delayedIds();

    // Act
    const result = await reschedule(owner, { id: old.id, delaySeconds: to });

    // Assess
    expect(result.errors).toBeUndefined();
    const next = result.data?.['rescheduleSchedule'];
    expect(next).toMatchObject({
      status,
      payload: '{"p":1}',
      key: 'k',
      labels: ['l1'],
      deliver: ['QUEUE'],
    });
    expect(next.id).not.toBe(old.id);
    expect(Date.parse(next.dueAt) - Date.now()).toBeGreaterThan(to * 1000 - 5000);
    const stored = await item(next.id);
    expect(stored).toMatchObject({ status, pendingOwner: owner });
    expect(stored?.['supersedes']).toBeUndefined();
    const retired = await item(old.id);
    expect(retired).toMatchObject({ status: 'RESCHEDULED', rescheduledTo: next.id });
    expect(retired?.['pendingOwner']).toBeUndefined();
    expect(retired?.['ttl']).toBeGreaterThan(Date.parse(next.dueAt) / 1000);
    const record = scheduleKeyRecordKey(owner, 'k');
    expect(await h.getItem(record.pk, record.sk)).toMatchObject({ scheduleId: next.id });
    const sent = (await delayedIds()).filter((id) => !sentBefore.includes(id));
    expect(sent).toEqual(status === 'QUEUED' ? [next.id] : []);
    const page = await h.run(userCaller(owner), 'query { pendingSchedules { items { id } } }');
    expect(page.data?.['pendingSchedules'].items).toEqual([{ id: next.id }]);
  });

  it('by key, twice in a row: the key stays the stable handle while the id changes', async () => {
    // Prepare
    const old = await create('r-bykey', { delaySeconds: 3600, payload: '1', key: 'order-7' });

    // Act
    const first = await reschedule('r-bykey', { key: 'order-7', delaySeconds: 4000 });
    const second = await reschedule('r-bykey', {
      key: 'order-7',
      dueAt: new Date(Date.now() + 5_000_000).toISOString(),
    });

    // Assess
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const a = first.data?.['rescheduleSchedule'];
    const b = second.data?.['rescheduleSchedule'];
    expect(new Set([old.id, a.id, b.id]).size).toBe(3);
    expect(await item(a.id)).toMatchObject({ status: 'RESCHEDULED', rescheduledTo: b.id });
    expect(await item(b.id)).toMatchObject({ status: 'PENDING', key: 'order-7' });
  });

  it('a schedule without a key moves by id and writes no key record', async () => {
    const old = await create('r-nokey', { delaySeconds: 3600, payload: '1' });
    const result = await reschedule('r-nokey', { id: old.id, delaySeconds: 120 });
    expect(result.errors).toBeUndefined();
    expect(result.data?.['rescheduleSchedule'].key).toBeNull();
  });

  it('refuses an already rescheduled id with a ConflictError naming the new id', async () => {
    // Prepare
    const old = await create('r-twice', { delaySeconds: 3600, payload: '1' });
    const next = (await reschedule('r-twice', { id: old.id, delaySeconds: 4000 })).data?.[
      'rescheduleSchedule'
    ];

    // Act
    const again = await reschedule('r-twice', { id: old.id, delaySeconds: 5000 });

    // Assess
    expect(again.errors?.[0]?.errorType).toBe('ConflictError');
    expect(again.errors?.[0]?.message).toContain(next.id);
    expect(await item(next.id)).toMatchObject({ status: 'PENDING' });
  });

  it('refuses a cancelled schedule (AlreadyCancelledError) and leaves no new item', async () => {
    const old = await create('r-cancelled', { delaySeconds: 3600, payload: '1', key: 'c' });
    await h.run(userCaller('r-cancelled'), CANCEL, { id: old.id });
    const byId = await reschedule('r-cancelled', { id: old.id, delaySeconds: 100 });
    const byKey = await reschedule('r-cancelled', { key: 'c', delaySeconds: 100 });
    expect(byId.errors?.[0]?.errorType).toBe('AlreadyCancelledError');
    expect(byKey.errors?.[0]?.errorType).toBe('AlreadyCancelledError');
    expect(byKey.errors?.[0]?.message).toContain(old.id);
    const page = await h.run(
      userCaller('r-cancelled'),
      'query { pendingSchedules { items { id } } }',
    );
    expect(page.data?.['pendingSchedules'].items).toEqual([]);
  });

  it('refuses a fired schedule (AlreadyFiredError; the dispatcher stood in for by a direct write)', async () => {
    // Prepare
    const old = await create('r-fired', { delaySeconds: 3600, payload: '1', key: 'f' });
    const key = scheduleKey(old.id, BUCKET_WIDTH_SECONDS)!;
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

    // Act
    const byId = await reschedule('r-fired', { id: old.id, delaySeconds: 100 });
    const byKey = await reschedule('r-fired', { key: 'f', delaySeconds: 100 });

    // Assess
    expect(byId.errors?.[0]?.errorType).toBe('AlreadyFiredError');
    expect(byKey.errors?.[0]?.errorType).toBe('AlreadyFiredError');
  });

  it("an unknown id, another owner's id and an unknown key are NotFoundError", async () => {
    const theirs = await create('r-other', { delaySeconds: 3600, payload: '1', key: 'x' });
    const unknown = await reschedule('r-me', {
      id: '1796171759708-0-01M8SZE4EW2X4M5GF80NNMP1WY',
      delaySeconds: 10,
    });
    const other = await reschedule('r-me', { id: theirs.id, delaySeconds: 10 });
    const noKey = await reschedule('r-me', { key: 'x', delaySeconds: 10 });
    expect(unknown.errors?.[0]?.errorType).toBe('NotFoundError');
    expect(other.errors?.[0]?.errorType).toBe('NotFoundError');
    expect(noKey.errors?.[0]?.errorType).toBe('NotFoundError');
    expect(noKey.errors?.[0]?.message).toContain('"x"');
    expect(await item(theirs.id)).toMatchObject({ status: 'PENDING' });
  });

  it('concurrent reschedules of one id: exactly one wins, the rest are told why, one live schedule remains', async () => {
    // Prepare
    const old = await create('r-race', { delaySeconds: 3600, payload: '1', key: 'hot' });

    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        reschedule('r-race', { id: old.id, delaySeconds: 4000 + n }),
      ),
    );

    // Assess
    const winners = results.filter((r) => r.errors === undefined);
    expect(winners).toHaveLength(1);
    expect(
      results
        .flatMap((r) => (r.errors ?? []).map((e) => e.errorType))
        .every((t) => t === 'ConflictError'),
    ).toBe(true);
    const page = await h.run(userCaller('r-race'), 'query { pendingSchedules { items { id } } }');
    expect(page.data?.['pendingSchedules'].items).toEqual([
      { id: winners[0]?.data?.['rescheduleSchedule'].id },
    ]);
  });

  it.each([
    [{ delaySeconds: 10 }, 'id and key', 'neither'],
    [{ id: 'a', key: 'b', delaySeconds: 10 }, 'id and key', 'both'],
    [{ key: 'k' }, 'dueAt and delaySeconds', 'neither'],
    [
      { key: 'k', delaySeconds: 1, dueAt: '2030-01-01T00:00:00Z' },
      'dueAt and delaySeconds',
      'both',
    ],
    [{ key: 'bad key', delaySeconds: 1 }, 'key', '" "'],
    [{ key: 'k'.repeat(129), delaySeconds: 1 }, 'key', '129'],
    [{ key: 'k', dueAt: '2001-01-01T00:00:00.000Z' }, 'dueAt', '2001-01-01T00:00:00.000Z'],
    [{ key: 'k', dueAt: '2030-01-01T00:00:00.1234Z' }, 'dueAt', '2030-01-01T00:00:00.1234Z'],
    [{ key: 'k', delaySeconds: -5 }, 'delaySeconds', '-5'],
    [{ key: 'k', delaySeconds: 999_999_999 }, 'delaySeconds', '999999999'],
  ])('refuses %j naming %s and the value', async (args, field, value) => {
    const result = await reschedule('r-bad', args);
    expect(result.errors?.[0]?.errorType).toBe('ValidationError');
    expect(result.errors?.[0]?.message).toContain(field);
    expect(result.errors?.[0]?.message).toContain(value);
  });
});
