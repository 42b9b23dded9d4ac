import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createDynamoClient } from '../../src/aws/clients.js';
import { FeederStateStore } from '../../src/aws/feeder-state-store.js';
import { readSettings } from '../../src/domain/settings.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { scheduleItemFor } from '../helpers/engine-schedules.js';
import { createSchedule, postGraphql, readOutputQueue } from './e2e-helpers.js';

/** The shipped settings, as the local stack reads them. */
function localSettings() {
  const read = readSettings({});
  if (!read.ok) throw new Error(read.error.message);
  return read.value;
}

describe('restart on the same data directory', () => {
  let dataDir: string;
  const stacks: LocalStack[] = [];
  const start = async () => {
    const stack = await startLocalStack({
      dataDir,
      port: 0,
      quiet: true,
    });
    stacks.push(stack);
    return stack;
  };
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'scheduler-restart-'));
  });
  afterAll(async () => {
    await Promise.all(stacks.map((stack) => stack.stop()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses nothing: queued, claimed and pending schedules all fire within seconds of a restart', async () => {
    // Prepare
    const first = await start();
    const user = await first.mintToken('restart-user');
    const queued = await createSchedule(first, { delaySeconds: 3, payload: '{"path":"fast"}' });
    const pending = await createSchedule(first, {
      delaySeconds: 960,
      payload: '{"path":"feeder"}',
    });
    const dueSoon = new Date(Date.now() + 4000).toISOString();
    const mine = await createSchedule(
      first,
      { dueAt: dueSoon, payload: '{"who":"user"}' },
      { authorization: user },
    );
    const cancelled = await createSchedule(first, { delaySeconds: 2, payload: '{}' });
    await postGraphql(
      first,
      { 'x-api-key': first.apiKey },
      'mutation C($id: ID!) { cancelSchedule(id: $id) { id } }',
      { id: cancelled },
    );

    // A schedule claimed by a dispatcher that died before delivering, and a feeder lease left
    // by a run of the old process (both as a kill -9 leaves them)
    const dynamo = createDynamoClient({ dynamoEndpoint: first.dynamoEndpoint });
    const claimedItem = {
      ...scheduleItemFor(
        { dueAtMs: Date.now() - 1000, owner: 'api-key', payload: '{"claimed":1}' },
        localSettings(),
      ),
      status: 'FIRING',
      claimedBy: 'message-of-the-old-process',
      claimedAt: new Date().toISOString(),
      firedAt: new Date().toISOString(),
      pendingOwner: undefined,
    };
    const claimed = claimedItem.id;
    await dynamo.send(
      new PutItemCommand({
        TableName: first.tableName,
        Item: marshall(claimedItem, { removeUndefinedValues: true }),
      }),
    );
    const cancelFiring = await postGraphql(
      first,
      { 'x-api-key': first.apiKey },
      'mutation C($id: ID!) { cancelSchedule(id: $id) { id } }',
      { id: claimed },
    );
    await new FeederStateStore(dynamo, first.tableName).acquireLease(
      0,
      'run-of-the-old-process',
      Date.now(),
      Date.now() + 55_000,
    );
    dynamo.destroy();
    await first.stop();

    // Act: the restart uses the shipped defaults (grace 60 s, feeder every 60 s)
    const second = await start();
    const fired = await readOutputQueue(second, [queued, mine, claimed], 10_000);
    const stillPending = await postGraphql(
      second,
      { 'x-api-key': second.apiKey },
      '{ pendingSchedules(limit: 50) { items { id status } } }',
    );

    // Assess
    expect(second.apiKey).toBe(first.apiKey);
    expect(await second.mintToken('restart-user')).toBeTypeOf('string');
    expect(fired.get(queued)).toMatchObject({ payload: '{"path":"fast"}' });
    expect(fired.get(mine)).toMatchObject({ payload: '{"who":"user"}' });
    expect(fired.has(cancelled)).toBe(false);
    expect(fired.get(claimed)).toMatchObject({ payload: '{"claimed":1}' });
    expect(cancelFiring.errors?.[0]).toMatchObject({ errorType: 'AlreadyFiredError' });
    const items = (stillPending.data?.['pendingSchedules'] as { items: { id: string }[] }).items;
    expect(items.map((item) => item.id)).toContain(pending);
  });
});
