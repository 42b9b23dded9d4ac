import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { createSchedule, postGraphql, readOutputQueue } from './e2e-helpers.js';

/** Short grace so queued schedules lost with the in-memory queue are re-sent quickly. */
const FAST_RECOVERY = { STRANDED_GRACE_SECONDS: '3', MAX_HOLD_MS: '1000' };

describe('restart on the same data directory', () => {
  let dataDir: string;
  const stacks: LocalStack[] = [];
  const start = async () => {
    const stack = await startLocalStack({
      dataDir,
      port: 0,
      quiet: true,
      feederIntervalSeconds: 1,
      env: FAST_RECOVERY,
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

  it('loses nothing: queued and pending schedules all fire after a restart mid-way', async () => {
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

    // Act
    await first.stop();
    const second = await start();
    const fired = await readOutputQueue(second, [queued, mine], 20_000);
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
    const items = (stillPending.data?.['pendingSchedules'] as { items: { id: string }[] }).items;
    expect(items.map((item) => item.id)).toContain(pending);
  });
});
