/*
 * The resolvers' DynamoDB requests, as the local APPSYNC_JS runtime sends them to the backend:
 * createSchedule (both paths, clientToken idempotency), cancelSchedule, schedule and
 * pendingSchedules (the owner index, paging). SQS stays fauxqs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientTokenKey, scheduleKey } from '../../src/domain/index.js';
import { withSharedDynamo } from '../helpers/local-services.js';
import {
  CANCEL,
  CREATE,
  SCHEDULE_FIELDS,
  startEngineHarness as startResolverHarness,
  userCaller,
  type EngineHarness as ResolverHarness,
  type JsonResult,
} from '../integration/resolvers/harness.js';
import type { BackendContext } from './backends.js';

const BUCKET_WIDTH_SECONDS = 300;
const SCHEDULE = `query One($id: ID!) { schedule(id: $id) { ${SCHEDULE_FIELDS} } }`;
const PENDING = `query Pending($from: AWSDateTime, $to: AWSDateTime, $limit: Int, $nextToken: String) {
  pendingSchedules(from: $from, to: $to, limit: $limit, nextToken: $nextToken) {
    items { id owner dueAt status }
    nextToken
  }
}`;

/** Contract: the resolvers' reads and conditional writes through the local runtime. */
export function resolversContract(context: () => BackendContext): void {
  let h: ResolverHarness;
  beforeAll(async () => {
    h = await withSharedDynamo(context().dynamo, () => startResolverHarness());
  });
  afterAll(async () => {
    await h?.stop();
  });

  const create = async (owner: string, input: Record<string, unknown>) => {
    const result = await h.run(userCaller(owner), CREATE, { input });
    expect(result.errors).toBeUndefined();
    return result.data?.['createSchedule'];
  };
  const stored = async (id: string) => {
    const key = scheduleKey(id, BUCKET_WIDTH_SECONDS);
    if (key === null) throw new Error(`Not a schedule id: ${id}`);
    return h.getItem(key.pk, key.sk);
  };

  it('createSchedule stores a fast-path schedule QUEUED and a far-path one PENDING', async () => {
    // Act
    const fast = await create('cora', { delaySeconds: 30, payload: '{"fast":1}' });
    const far = await create('cora', { delaySeconds: 3_600, payload: '{"far":1}' });

    // Assess
    expect(await stored(fast.id)).toMatchObject({ status: 'QUEUED', sendCount: 1, owner: 'cora' });
    expect(await stored(far.id)).toMatchObject({
      status: 'PENDING',
      sendCount: 0,
      pendingOwner: 'cora',
      payload: '{"far":1}',
    });
  });

  it('a clientToken replays the same schedule, refuses another request, and is per owner', async () => {
    // Prepare
    const input = { delaySeconds: 3_600, payload: '{"n":1}', clientToken: 'token-1' };
    const first = await create('dana', input);

    // Act
    const replay = await h.run(userCaller('dana'), CREATE, { input });
    const conflict = await h.run(userCaller('dana'), CREATE, {
      input: { ...input, payload: '{"n":2}' },
    });
    const otherOwner = await create('eli', input);

    // Assess
    expect(replay).toEqual({ data: { createSchedule: first } });
    expect(conflict.errors?.[0]?.errorType).toBe('IdempotencyConflictError');
    expect(otherOwner.id).not.toBe(first.id);
    const token = clientTokenKey('dana', 'token-1');
    expect(await h.getItem(token.pk, token.sk)).toMatchObject({ scheduleId: first.id });
  });

  it('concurrent retries with one clientToken create one schedule', async () => {
    // Act
    const input = { delaySeconds: 3_600, payload: '{"race":1}', clientToken: 'race-1' };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => h.run(userCaller('fay'), CREATE, { input })),
    );

    // Assess
    const ids = new Set(results.flatMap((r) => (r.data ? [r.data['createSchedule'].id] : [])));
    expect(ids.size).toBe(1);
    const errorTypes = results.flatMap((r) => (r.errors ?? []).map((e) => e.errorType));
    expect(errorTypes.every((type) => type === 'ConflictError')).toBe(true);
  });

  it('cancelSchedule: the owner cancels once; a second cancel and another owner are refused', async () => {
    // Prepare
    const { id } = await create('gus', { delaySeconds: 3_600, payload: '{}' });

    // Act
    const other = await h.run(userCaller('hal'), CANCEL, { id });
    const cancelled = await h.run(userCaller('gus'), CANCEL, { id });
    const again = await h.run(userCaller('gus'), CANCEL, { id });

    // Assess
    expect(other.errors?.[0]?.errorType).toBe('NotFoundError');
    expect(cancelled.data?.['cancelSchedule']).toMatchObject({ id, status: 'CANCELLED' });
    expect(again.errors?.[0]?.errorType).toBe('AlreadyCancelledError');
    const item = await stored(id);
    expect(item).toMatchObject({ status: 'CANCELLED' });
    expect(item?.['pendingOwner']).toBeUndefined();
  });

  it('schedule(id) returns the owner schedule only', async () => {
    // Prepare
    const { id } = await create('ivy', { delaySeconds: 3_600, payload: '{"q":1}' });

    // Act
    const own = await h.run(userCaller('ivy'), SCHEDULE, { id });
    const other = await h.run(userCaller('jon'), SCHEDULE, { id });

    // Assess
    expect(own.data?.['schedule']).toMatchObject({ id, owner: 'ivy', payload: '{"q":1}' });
    expect(other).toEqual({ data: { schedule: null } });
  });

  it('pendingSchedules pages the owner live schedules in due order through the owner index', async () => {
    // Prepare: two owners, interleaved and created out of order; one of kim's cancelled.
    const base = Date.now() + 7_200_000;
    const dueAt = (minute: number) => new Date(base + minute * 60_000).toISOString();
    const ids: string[] = [];
    for (const minute of [4, 1, 3, 2, 5]) {
      ids.push((await create('kim', { dueAt: dueAt(minute), payload: '{}' })).id);
      await create('lea', { dueAt: dueAt(minute), payload: '{}' });
    }
    await h.run(userCaller('kim'), CANCEL, { id: ids[4] });

    // Act
    const seen: { owner: string; dueAt: string }[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page: JsonResult = await h.run(userCaller('kim'), PENDING, { limit: 2, nextToken });
      expect(page.errors).toBeUndefined();
      seen.push(...(page.data?.['pendingSchedules']?.items ?? []));
      nextToken = page.data?.['pendingSchedules'].nextToken;
      pages += 1;
    } while (nextToken !== null && pages < 10);
    const bounded = await h.run(userCaller('lea'), PENDING, { from: dueAt(2), to: dueAt(4) });

    // Assess
    expect(pages).toBe(3);
    expect(seen.map((s) => s.owner)).toEqual(Array(4).fill('kim'));
    expect(seen.map((s) => s.dueAt)).toEqual([1, 2, 3, 4].map(dueAt));
    expect(bounded.data?.['pendingSchedules'].items.map((s: { dueAt: string }) => s.dueAt)).toEqual(
      [2, 3, 4].map(dueAt),
    );
  });

  it('another owner nextToken reads nothing of theirs and comes back as an error', async () => {
    // Prepare
    for (const minute of [1, 2]) {
      await create('max', { delaySeconds: 3_600 + minute * 60, payload: '{}' });
    }
    const theirs = await h.run(userCaller('max'), PENDING, { limit: 1 });
    const nextToken = theirs.data?.['pendingSchedules'].nextToken;
    expect(nextToken).toEqual(expect.any(String));

    // Act
    const result = await h.run(userCaller('ned'), PENDING, { nextToken });

    // Assess
    expect(result.data?.['pendingSchedules'] ?? null).toBeNull();
    expect(result.errors?.[0]?.errorType).toBe('DynamoDB:ValidationException');
  });
}
