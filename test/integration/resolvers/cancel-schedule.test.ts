import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleKey } from '../../../src/domain/index.js';
import { CANCEL, CREATE, startEngineHarness, userCaller, type EngineHarness } from './harness.js';

describe('cancelSchedule through the engine and the APPSYNC_JS runtime (dynalite, fauxqs)', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  async function create(
    owner: string,
    delaySeconds = 3600,
  ): Promise<{ id: string; dueAt: string }> {
    const result = await h.run(userCaller(owner), CREATE, {
      input: { delaySeconds, payload: '{"x":1}' },
    });
    return result.data?.['createSchedule'];
  }

  it('the owner cancels a PENDING schedule: CANCELLED, off the owner index, with a TTL', async () => {
    // Prepare
    const { id } = await create('alice');

    // Act
    const result = await h.run(userCaller('alice'), CANCEL, { id });

    // Assess
    expect(result.errors).toBeUndefined();
    expect(result.data?.['cancelSchedule']).toMatchObject({ id, status: 'CANCELLED' });
    expect(result.data?.['cancelSchedule'].cancelledAt).toMatch(/Z$/);
    const key = scheduleKey(id, 300)!;
    const item = await h.getItem(key.pk, key.sk);
    expect(item?.['pendingOwner']).toBeUndefined();
    expect(item?.['ttl']).toBeGreaterThan(Date.now() / 1000 + 6 * 86_400);
  });

  it('the owner cancels a QUEUED (fast-path) schedule', async () => {
    // Prepare
    const { id } = await create('alice', 20);

    // Act
    const result = await h.run(userCaller('alice'), CANCEL, { id });

    // Assess
    expect(result.data?.['cancelSchedule']).toMatchObject({ id, status: 'CANCELLED' });
  });

  it('another owner gets the same NotFoundError as for a missing schedule, and nothing changes', async () => {
    // Prepare
    const { id } = await create('alice');
    const missing = `${id.slice(0, -4)}ZZZZ`;

    // Act
    const theirs = await h.run(userCaller('mallory'), CANCEL, { id });
    const absent = await h.run(userCaller('mallory'), CANCEL, { id: missing });

    // Assess
    expect(theirs.errors?.[0]).toMatchObject({
      errorType: 'NotFoundError',
      message: `No schedule with id ${id}`,
    });
    expect(absent.errors?.[0]).toMatchObject({
      errorType: 'NotFoundError',
      message: `No schedule with id ${missing}`,
    });
    const key = scheduleKey(id, 300)!;
    expect(await h.getItem(key.pk, key.sk)).toMatchObject({ status: 'PENDING' });
  });

  it('after the schedule fired: AlreadyFiredError', async () => {
    // Prepare: mark it FIRED as the dispatcher's claim would.
    const { id } = await create('alice');
    const key = scheduleKey(id, 300)!;
    await h.dynamo.send(
      new UpdateItemCommand({
        TableName: h.services.tableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        UpdateExpression: 'SET #s = :fired, firedAt = :at REMOVE pendingOwner',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':fired': { S: 'FIRED' },
          ':at': { S: '2026-01-01T00:00:00.000Z' },
        },
      }),
    );

    // Act
    const result = await h.run(userCaller('alice'), CANCEL, { id });

    // Assess
    expect(result.data).toBeNull();
    expect(result.errors?.[0]).toMatchObject({
      errorType: 'AlreadyFiredError',
      path: ['cancelSchedule'],
    });
  });

  it('twice: the second is AlreadyCancelledError', async () => {
    // Prepare
    const { id } = await create('alice');
    await h.run(userCaller('alice'), CANCEL, { id });

    // Act
    const result = await h.run(userCaller('alice'), CANCEL, { id });

    // Assess
    expect(result.errors?.[0]?.errorType).toBe('AlreadyCancelledError');
  });

  it('an id that is not one of ours is NotFoundError; an oversize one ValidationError', async () => {
    // Act
    const malformed = await h.run(userCaller('alice'), CANCEL, { id: 'not-an-id' });
    const oversize = await h.run(userCaller('alice'), CANCEL, { id: 'x'.repeat(65) });

    // Assess
    expect(malformed.errors?.[0]).toMatchObject({
      errorType: 'NotFoundError',
      message: 'No schedule with id not-an-id',
    });
    expect(oversize.errors?.[0]).toMatchObject({
      errorType: 'ValidationError',
      message: 'id must be 1 to 64 characters; received 65',
    });
  });
});
