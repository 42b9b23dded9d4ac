import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientTokenKey, scheduleKey } from '../../../src/domain/index.js';
import { CREATE, startEngineHarness, userCaller, type EngineHarness } from './harness.js';

const BUCKET_WIDTH_SECONDS = 300;

function queueName(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

describe('createSchedule through the engine and the APPSYNC_JS runtime (dynalite, fauxqs)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  function delayedMessages() {
    return h.services.sqs.inspectQueue(queueName(h.services.delayQueueUrl));
  }

  it('fast path: stores QUEUED and lands a delayed SQS message with the id and the delay', async () => {
    // Prepare
    const before = (await delayedMessages())?.delayed.length ?? 0;

    // Act
    const result = await h.run(userCaller('fast-user'), CREATE, {
      input: { delaySeconds: 30, payload: '{"kind":"fast"}' },
    });

    // Assess
    expect(result.errors).toBeUndefined();
    const schedule = result.data?.['createSchedule'];
    expect(schedule).toMatchObject({
      owner: 'fast-user',
      status: 'QUEUED',
      payload: '{"kind":"fast"}',
    });
    const delayed = (await delayedMessages())?.delayed ?? [];
    expect(delayed.length).toBe(before + 1);
    const message = delayed.find((m) => JSON.parse(m.body).id === schedule.id);
    expect(JSON.parse(message?.body ?? '{}')).toEqual({ id: schedule.id });
    const delaySeconds = ((message?.delayUntil ?? 0) - (message?.sentTimestamp ?? 0)) / 1000;
    expect(delaySeconds).toBeGreaterThanOrEqual(29);
    expect(delaySeconds).toBeLessThanOrEqual(30);
    const key = scheduleKey(schedule.id, BUCKET_WIDTH_SECONDS)!;
    const item = await h.getItem(key.pk, key.sk);
    expect(item).toMatchObject({ status: 'QUEUED', sendCount: 1, pendingOwner: 'fast-user' });
    expect(item?.['queuedAt']).toBe(schedule.createdAt);
  });

  it('fast path with a short delay: the message becomes visible no earlier than a second before due', async () => {
    // Act
    const result = await h.run(userCaller('short-user'), CREATE, {
      input: { delaySeconds: 2, payload: '{"kind":"short"}' },
    });
    const dueAtMs = Date.parse(result.data?.['createSchedule'].dueAt);
    const early = await h.receiveDelayed(0);
    const later = await h.receiveDelayed(5);

    // Assess
    expect(early.map((m) => m.Body)).not.toContain(
      JSON.stringify({ id: result.data?.['createSchedule'].id }),
    );
    expect(later.map((m) => m.Body)).toContain(
      JSON.stringify({ id: result.data?.['createSchedule'].id }),
    );
    expect(Date.now()).toBeGreaterThanOrEqual(dueAtMs - 1000);
  });

  it('far path: stores PENDING in its time bucket and sends nothing', async () => {
    // Prepare
    const before = await delayedMessages();
    const count = (before?.delayed.length ?? 0) + (before?.ready.length ?? 0);
    const dueAt = new Date(Date.now() + 3_600_000).toISOString();

    // Act
    const result = await h.run(userCaller('far-user'), CREATE, {
      input: { dueAt, payload: '[1,2,3]' },
    });

    // Assess
    const schedule = result.data?.['createSchedule'];
    expect(schedule).toMatchObject({ status: 'PENDING', dueAt, payload: '[1,2,3]' });
    const after = await delayedMessages();
    expect((after?.delayed.length ?? 0) + (after?.ready.length ?? 0)).toBe(count);
    const key = scheduleKey(schedule.id, BUCKET_WIDTH_SECONDS)!;
    expect(key.pk).toMatch(/^j#\d{4}-\d\d-\d\dT\d\d:\d\d#[01]$/);
    expect(await h.getItem(key.pk, key.sk)).toMatchObject({ status: 'PENDING', sendCount: 0 });
  });

  it('idempotent retry: the same clientToken and request return the same schedule and send once', async () => {
    // Prepare
    const input = { delaySeconds: 40, payload: '{"n":1}', clientToken: 'retry-1' };
    const first = await h.run(userCaller('retry-user'), CREATE, { input });
    const sentBefore = (await delayedMessages())?.delayed.length ?? 0;

    // Act
    const second = await h.run(userCaller('retry-user'), CREATE, { input });

    // Assess
    expect(second.errors).toBeUndefined();
    expect(second.data?.['createSchedule']).toEqual(first.data?.['createSchedule']);
    expect((await delayedMessages())?.delayed.length).toBe(sentBefore);
  });

  it('the same clientToken of another owner is independent', async () => {
    // Prepare
    const input = { delaySeconds: 3600, payload: '{"n":1}', clientToken: 'shared-token' };
    const mine = await h.run(userCaller('owner-a'), CREATE, { input });

    // Act
    const theirs = await h.run(userCaller('owner-b'), CREATE, { input });

    // Assess
    expect(theirs.data?.['createSchedule'].id).not.toBe(mine.data?.['createSchedule'].id);
    expect(theirs.data?.['createSchedule'].owner).toBe('owner-b');
  });

  it('conflicting retry: the same clientToken with another payload is an IdempotencyConflictError', async () => {
    // Prepare
    await h.run(userCaller('conflict-user'), CREATE, {
      input: { delaySeconds: 3600, payload: '{"n":1}', clientToken: 'conflict-1' },
    });

    // Act
    const result = await h.run(userCaller('conflict-user'), CREATE, {
      input: { delaySeconds: 3600, payload: '{"n":2}', clientToken: 'conflict-1' },
    });

    // Assess
    expect(result.data).toBeNull();
    expect(result.errors?.[0]).toMatchObject({
      errorType: 'IdempotencyConflictError',
      path: ['createSchedule'],
    });
    expect(result.errors?.[0]?.message).toContain('conflict-1');
  });

  it('a replay heals a crash between the token record and the item, and then sends', async () => {
    // Prepare: the first attempt wrote both; removing the item simulates a crash before its put.
    const input = { delaySeconds: 50, payload: '{"heal":true}', clientToken: 'heal-1' };
    const first = (await h.run(userCaller('heal-user'), CREATE, { input })).data?.[
      'createSchedule'
    ];
    const key = scheduleKey(first.id, BUCKET_WIDTH_SECONDS)!;
    await h.dynamo.send(
      new DeleteItemCommand({
        TableName: h.services.tableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      }),
    );
    const sentBefore = (await delayedMessages())?.delayed.length ?? 0;

    // Act
    const replay = await h.run(userCaller('heal-user'), CREATE, { input });

    // Assess
    expect(replay.data?.['createSchedule']).toEqual(first);
    expect(await h.getItem(key.pk, key.sk)).toMatchObject({ id: first.id, status: 'QUEUED' });
    expect((await delayedMessages())?.delayed.length).toBe(sentBefore + 1);
    const token = clientTokenKey('heal-user', 'heal-1');
    const record = await h.getItem(token.pk, token.sk);
    expect(record).toMatchObject({ scheduleId: first.id });
    expect(record?.['ttl']).toBeGreaterThan(Date.parse(first.dueAt) / 1000);
  });
  it('a replay never brings back a schedule that finished and expired (token outlives the item)', async () => {
    // Prepare: a far schedule cancelled long ago; its item expired (deleted, as TTL does) while
    // the token record, kept until due time plus retention, still holds it.
    const input = { delaySeconds: 30 * 86_400, payload: '{"gone":true}', clientToken: 'expired-1' };
    const first = (await h.run(userCaller('expired-user'), CREATE, { input })).data?.[
      'createSchedule'
    ];
    const key = scheduleKey(first.id, BUCKET_WIDTH_SECONDS)!;
    await h.dynamo.send(
      new DeleteItemCommand({
        TableName: h.services.tableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      }),
    );
    const token = clientTokenKey('expired-user', 'expired-1');
    await h.dynamo.send(
      new UpdateItemCommand({
        TableName: h.services.tableName,
        Key: { pk: { S: token.pk }, sk: { S: token.sk } },
        UpdateExpression: 'SET #item.createdAt = :old',
        ExpressionAttributeNames: { '#item': 'item' },
        ExpressionAttributeValues: {
          ':old': { S: new Date(Date.now() - 8 * 86_400_000).toISOString() },
        },
      }),
    );

    // Act
    const replay = await h.run(userCaller('expired-user'), CREATE, { input });

    // Assess
    expect(replay.errors?.[0]).toMatchObject({ errorType: 'NotFoundError' });
    expect(replay.errors?.[0]?.message).toContain('expired-1');
    expect(await h.getItem(key.pk, key.sk)).toBeUndefined();
  });
});

describe('createSchedule when SQS refuses the hand-over (dynalite, fauxqs with a missing queue)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness({
      env: { DELAY_QUEUE_URL: 'http://127.0.0.1:1/000000000000/no-such-queue' },
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('still returns the accepted QUEUED schedule for the feeder sweep to re-send', async () => {
    // Act
    const result = await h.run(userCaller('unlucky'), CREATE, {
      input: { delaySeconds: 10, payload: '{}' },
    });

    // Assess
    expect(result.errors).toBeUndefined();
    const schedule = result.data?.['createSchedule'];
    expect(schedule.status).toBe('QUEUED');
    const key = scheduleKey(schedule.id, BUCKET_WIDTH_SECONDS)!;
    expect(await h.getItem(key.pk, key.sk)).toMatchObject({ status: 'QUEUED', sendCount: 1 });
  });
});

describe('createSchedule retried concurrently with one clientToken (dynalite, fauxqs)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('creates one schedule; every other attempt replays it or is told to retry', async () => {
    // Prepare
    const input = { delaySeconds: 3600, payload: '{"race":1}', clientToken: 'race-1' };

    // Act
    const results = await Promise.all(
      Array.from({ length: 6 }, () => h.run(userCaller('racer'), CREATE, { input })),
    );

    // Assess
    const ids = new Set(results.flatMap((r) => (r.data ? [r.data['createSchedule'].id] : [])));
    expect(ids.size).toBe(1);
    const errorTypes = results.flatMap((r) => (r.errors ?? []).map((e) => e.errorType));
    expect(errorTypes.every((type) => type === 'ConflictError')).toBe(true);
    const page = await h.run(userCaller('racer'), 'query { pendingSchedules { items { id } } }');
    expect(page.data?.['pendingSchedules'].items).toEqual([{ id: [...ids][0] }]);
  });
});
