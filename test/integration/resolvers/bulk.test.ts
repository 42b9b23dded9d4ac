import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleStore } from '../../../src/aws/schedule-store.js';
import { scheduleKey } from '../../../src/domain/index.js';
import { CANCEL, CREATE, startEngineHarness, userCaller, type EngineHarness } from './harness.js';

const BUCKET_WIDTH_SECONDS = 300;
const RESULT_FIELDS =
  'schedule { id owner dueAt payload status clientToken labels deliver } error { errorType message }';
const CREATE_MANY = `mutation CreateMany($inputs: [CreateScheduleInput!]!) {
  createSchedules(inputs: $inputs) { ${RESULT_FIELDS} }
}`;

function queueName(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

/** 25 inputs: fast path (30 s) and far path (1 h) alternating, bad ones at 3, 10 and 17. */
function mixedInputs(tokenPrefix: string): Record<string, unknown>[] {
  const inputs: Record<string, unknown>[] = [];
  for (let i = 0; i < 25; i += 1) {
    inputs.push({
      delaySeconds: i % 2 === 0 ? 30 : 3600,
      payload: JSON.stringify({ n: i }),
      clientToken: `${tokenPrefix}-${i}`,
      labels: ['bulk'],
    });
  }
  inputs[3] = { dueAt: '2001-01-01T00:00:00.000Z', payload: '{"n":3}' };
  inputs[10] = { delaySeconds: 30, payload: '{"n":10}', key: 'order-10' };
  inputs[17] = { delaySeconds: -5, payload: '{"n":17}' };
  return inputs;
}

describe('createSchedules through the engine and the APPSYNC_JS runtime (dynalite, fauxqs)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  async function delayedIds(): Promise<string[]> {
    const contents = await h.services.sqs.inspectQueue(queueName(h.services.delayQueueUrl));
    return [...(contents?.delayed ?? []), ...(contents?.ready ?? [])].map(
      (message) => (JSON.parse(message.body) as { id: string }).id,
    );
  }

  it('25 inputs with 3 bad ones: 22 schedules and 3 item errors in input order; fast ones queued once each', async () => {
    // Prepare
    const before = await delayedIds();

    // Act
    const result = await h.run(userCaller('bulk-a'), CREATE_MANY, {
      inputs: mixedInputs('mixed'),
    });

    // Assess
    expect(result.errors).toBeUndefined();
    const results = result.data?.['createSchedules'] as {
      schedule: Record<string, unknown> | null;
      error: { errorType: string; message: string } | null;
    }[];
    expect(results).toHaveLength(25);
    expect(results.map((r, i) => (r.error ? i : -1)).filter((i) => i >= 0)).toEqual([3, 10, 17]);
    expect(results[3]?.error?.errorType).toBe('ValidationError');
    expect(results[3]?.error?.message).toMatch(/^inputs\[3\]\.dueAt is \d+ ms in the past/);
    expect(results[10]?.error).toEqual({
      errorType: 'ValidationError',
      message: expect.stringMatching(
        /^inputs\[10\]\.key .*use createSchedule for keyed schedules.*order-10$/,
      ),
    });
    expect(results[17]?.error?.message).toBe(
      'inputs[17].delaySeconds must be a whole number >= 0; received -5',
    );
    const good = results.filter((r) => r.schedule !== null);
    expect(good).toHaveLength(22);
    for (const [i, r] of results.entries()) {
      if (r.error) continue;
      expect(r.schedule).toMatchObject({
        owner: 'bulk-a',
        payload: JSON.stringify({ n: i }),
        status: i % 2 === 0 ? 'QUEUED' : 'PENDING',
        clientToken: `mixed-${i}`,
        labels: ['bulk'],
        deliver: ['SUBSCRIPTION', 'QUEUE'],
      });
      const key = scheduleKey(String(r.schedule?.['id']), BUCKET_WIDTH_SECONDS)!;
      expect(await h.getItem(key.pk, key.sk)).toMatchObject({ status: r.schedule?.['status'] });
    }
    const fastIds = results
      .filter((r) => r.schedule?.['status'] === 'QUEUED')
      .map((r) => r.schedule?.['id']);
    expect(fastIds).toHaveLength(12);
    const sent = (await delayedIds()).filter((id) => !before.includes(id));
    expect(sent.sort()).toEqual([...fastIds].sort());
  });

  it('inputs without any clientToken are all created, fast ones queued', async () => {
    // Act
    const inputs = [
      { delaySeconds: 30, payload: '{"n":1}' },
      { delaySeconds: 7200, payload: '{"n":2}' },
      { delaySeconds: 45, payload: '{"n":3}' },
    ];
    const result = await h.run(userCaller('bulk-untokened'), CREATE_MANY, { inputs });

    // Assess
    expect(result.errors).toBeUndefined();
    const results = result.data?.['createSchedules'] as {
      schedule: { id: string; status: string } | null;
      error: unknown;
    }[];
    expect(results.map((r) => r.error)).toEqual([null, null, null]);
    expect(results.map((r) => r.schedule?.status)).toEqual(['QUEUED', 'PENDING', 'QUEUED']);
    const queued = await delayedIds();
    expect(queued).toContain(results[0]?.schedule?.id);
    expect(queued).toContain(results[2]?.schedule?.id);
  });

  it('a retry of the same call with clientTokens returns the same ids and creates nothing new', async () => {
    // Prepare
    const caller = userCaller('bulk-retry');
    const inputs = mixedInputs('retry');
    const first = await h.run(caller, CREATE_MANY, { inputs });
    const queuedAfterFirst = await delayedIds();

    // Act
    const again = await h.run(caller, CREATE_MANY, { inputs });

    // Assess
    expect(again.errors).toBeUndefined();
    const ids = (r: typeof first) =>
      (r.data?.['createSchedules'] as { schedule: { id: string } | null }[]).map(
        (x) => x.schedule?.id ?? null,
      );
    expect(ids(again)).toEqual(ids(first));
    expect(ids(first).filter((id) => id !== null)).toHaveLength(22);
    expect((await delayedIds()).sort()).toEqual([...queuedAfterFirst].sort());
  });

  it('a token reused with another payload is an IdempotencyConflictError for that item only', async () => {
    // Prepare
    const caller = userCaller('bulk-conflict');
    await h.run(caller, CREATE_MANY, {
      inputs: [{ delaySeconds: 3600, payload: '{"v":1}', clientToken: 'same' }],
    });

    // Act
    const result = await h.run(caller, CREATE_MANY, {
      inputs: [
        { delaySeconds: 3600, payload: '{"v":2}', clientToken: 'same' },
        { delaySeconds: 3600, payload: '{"v":3}', clientToken: 'other' },
      ],
    });

    // Assess
    const results = result.data?.['createSchedules'];
    expect(results[0].schedule).toBeNull();
    expect(results[0].error.errorType).toBe('IdempotencyConflictError');
    expect(results[0].error.message).toContain('inputs[0].clientToken same was already used');
    expect(results[1].schedule).toMatchObject({ payload: '{"v":3}', status: 'PENDING' });
  });

  it('the same clientToken twice in one call makes one schedule; a different request under it is refused', async () => {
    // Act
    const result = await h.run(userCaller('bulk-dup'), CREATE_MANY, {
      inputs: [
        { delaySeconds: 30, payload: '{"d":1}', clientToken: 'twice' },
        { delaySeconds: 30, payload: '{"d":1}', clientToken: 'twice' },
        { delaySeconds: 30, payload: '{"d":2}', clientToken: 'twice' },
      ],
    });

    // Assess
    expect(result.errors).toBeUndefined();
    const [a, b, c] = result.data?.['createSchedules'] ?? [];
    expect(b.schedule.id).toBe(a.schedule.id);
    expect(c.error.errorType).toBe('IdempotencyConflictError');
    expect((await delayedIds()).filter((id) => id === a.schedule.id)).toHaveLength(1);
  });

  it('a token first used with createSchedule is replayed by createSchedules', async () => {
    // Prepare
    const caller = userCaller('bulk-single');
    const single = await h.run(caller, CREATE, {
      input: { delaySeconds: 3600, payload: '{"s":1}', clientToken: 'shared' },
    });

    // Act
    const result = await h.run(caller, CREATE_MANY, {
      inputs: [{ delaySeconds: 3600, payload: '{"s":1}', clientToken: 'shared' }],
    });

    // Assess
    expect(result.data?.['createSchedules'][0].schedule.id).toBe(
      single.data?.['createSchedule'].id,
    );
  });

  it('refuses 26 inputs and none with one ValidationError naming the count', async () => {
    // Prepare
    const inputs = Array.from({ length: 26 }, (_, i) => ({
      delaySeconds: 3600,
      payload: `{"i":${i}}`,
    }));

    // Act
    const tooMany = await h.run(userCaller('bulk-count'), CREATE_MANY, { inputs });
    const none = await h.run(userCaller('bulk-count'), CREATE_MANY, { inputs: [] });

    // Assess
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors?.[0]).toMatchObject({
      errorType: 'ValidationError',
      message: 'inputs must hold 1 to 25 items; received 26',
    });
    expect(none.errors?.[0]?.message).toBe('inputs must hold 1 to 25 items; received 0');
  });
});

const CANCEL_MANY = `mutation CancelMany($ids: [ID!]!) {
  cancelSchedules(ids: $ids) { id schedule { id status cancelledAt } error { errorType message } }
}`;

describe('cancelSchedules through the engine and the APPSYNC_JS runtime (dynalite)', () => {
  let h: EngineHarness;
  let store: ScheduleStore;
  beforeAll(async () => {
    h = await startEngineHarness();
    store = new ScheduleStore(h.dynamo, h.services.tableName);
  });
  afterAll(async () => {
    await h.stop();
  });

  async function create(owner: string, delaySeconds: number): Promise<string> {
    const result = await h.run(userCaller(owner), CREATE, {
      input: { delaySeconds, payload: '{"c":1}' },
    });
    return result.data?.['createSchedule'].id as string;
  }

  function keyOf(id: string) {
    return scheduleKey(id, BUCKET_WIDTH_SECONDS)!;
  }

  /** The dispatcher's own claim (the real conditional write), as when the schedule's message arrives. */
  function claim(id: string, messageId: string) {
    return store.claim({ key: keyOf(id), messageId, nowMs: Date.now(), staleBeforeMs: 0 });
  }

  it('per-id outcomes in order: cancelled, already cancelled, not found (another owner, unknown, not an id), fired, rescheduled', async () => {
    // Prepare
    const owner = 'cancel-a';
    const far = await create(owner, 3600);
    const fast = await create(owner, 30);
    const cancelledBefore = await create(owner, 3600);
    await h.run(userCaller(owner), CANCEL, { id: cancelledBefore });
    const othersId = await create('cancel-b', 3600);
    const claimed = await create(owner, 30);
    expect(await claim(claimed, 'm-claimed')).not.toBeNull();
    const moved = await create(owner, 3600);
    const movedKey = keyOf(moved);
    await h.dynamo.send(
      new UpdateItemCommand({
        TableName: h.services.tableName,
        Key: { pk: { S: movedKey.pk }, sk: { S: movedKey.sk } },
        UpdateExpression: 'SET #s = :r, rescheduledTo = :to',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': { S: 'RESCHEDULED' }, ':to': { S: 'new-id' } },
      }),
    );
    const unknown = far.replace(/.$/, far.endsWith('0') ? '1' : '0');
    const ids = [far, fast, cancelledBefore, othersId, unknown, 'not-an-id', claimed, moved, far];

    // Act
    const result = await h.run(userCaller(owner), CANCEL_MANY, { ids });

    // Assess
    expect(result.errors).toBeUndefined();
    const results = result.data?.['cancelSchedules'] as {
      id: string;
      schedule: { id: string; status: string; cancelledAt: string } | null;
      error: { errorType: string; message: string } | null;
    }[];
    expect(results.map((r) => r.id)).toEqual(ids);
    expect(results.map((r) => r.error?.errorType ?? r.schedule?.status)).toEqual([
      'CANCELLED',
      'CANCELLED',
      'AlreadyCancelledError',
      'NotFoundError',
      'NotFoundError',
      'NotFoundError',
      'AlreadyFiredError',
      'ConflictError',
      'CANCELLED',
    ]);
    expect(results[0]?.error).toBeNull();
    expect(results[3]?.error?.message).toBe(`No schedule with id ${othersId}`);
    expect(results[7]?.error?.message).toContain('rescheduled to new-id');
    expect(results[8]?.schedule?.cancelledAt).toBe(results[0]?.schedule?.cancelledAt);
    expect(await h.getItem(keyOf(othersId).pk, keyOf(othersId).sk)).toMatchObject({
      status: 'PENDING',
      owner: 'cancel-b',
    });
    expect(await h.getItem(keyOf(claimed).pk, keyOf(claimed).sk)).toMatchObject({
      status: 'FIRING',
    });
    // A cancel that returned success: the dispatcher's claim of the message now fails.
    expect(await claim(fast, 'm-fast')).toBeNull();
    expect(await claim(far, 'm-far')).toBeNull();
    expect(await h.getItem(keyOf(fast).pk, keyOf(fast).sk)).toMatchObject({
      status: 'CANCELLED',
    });
  });

  it('a selection of id alone still cancels', async () => {
    // Prepare
    const id = await create('cancel-id-only', 3600);

    // Act
    const result = await h.run(
      userCaller('cancel-id-only'),
      'mutation C($ids: [ID!]!) { cancelSchedules(ids: $ids) { id } }',
      { ids: [id] },
    );

    // Assess
    expect(result.data?.['cancelSchedules']).toEqual([{ id }]);
    expect(await h.getItem(keyOf(id).pk, keyOf(id).sk)).toMatchObject({ status: 'CANCELLED' });
  });

  it('refuses 26 ids and none with one ValidationError naming the count', async () => {
    // Act
    const ids = Array.from({ length: 26 }, () => 'x');
    const tooMany = await h.run(userCaller('cancel-count'), CANCEL_MANY, { ids });
    const none = await h.run(userCaller('cancel-count'), CANCEL_MANY, { ids: [] });

    // Assess
    expect(tooMany.errors?.[0]).toMatchObject({
      errorType: 'ValidationError',
      message: 'ids must hold 1 to 25 items; received 26',
    });
    expect(none.errors?.[0]?.message).toBe('ids must hold 1 to 25 items; received 0');
  });
});
