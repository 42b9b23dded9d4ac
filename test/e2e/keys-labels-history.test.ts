/*
 * Keys, labels, subscription filters and the schedules history through the public GraphQL API of
 * the local stack (HTTP and the AppSync real-time socket), judged by what each owner receives.
 * Owner A is the API key's shared owner, owner B a dev user-pool user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { keysLabelsBulkEntries } from '../security/bad-input-corpus.js';
import {
  collectOutputQueue,
  postGraphql,
  waitFor,
  watchFired,
  type Delivery,
  type FiredWatch,
  type GraphqlResponse,
  type OutputCollector,
} from './e2e-helpers.js';

const FIELDS = 'id owner dueAt status key labels firedAt latenessMs';
const CREATE = `mutation C($input: CreateScheduleInput!) { createSchedule(input: $input) { ${FIELDS} } }`;
const CANCEL =
  'mutation X($id: ID, $key: String) { cancelSchedule(id: $id, key: $key) { id status } }';
const BY_KEY = `query K($key: String) { schedule(key: $key) { ${FIELDS} } }`;
const HISTORY = `query H($filter: ScheduleFilter, $limit: Int, $nextToken: String, $order: SortOrder) {
  schedules(filter: $filter, limit: $limit, nextToken: $nextToken, order: $order) {
    items { ${FIELDS} } nextToken } }`;
const SETTLE_MS = 1500;

interface Schedule {
  readonly id: string;
  readonly owner: string;
  readonly dueAt: string;
  readonly status: string;
  readonly key: string | null;
  readonly labels: string[];
  readonly firedAt: string | null;
  readonly latenessMs: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const idsOf = (list: readonly Delivery[]) => list.map((d) => d.event.id).sort();

describe('keys, labels, filtered subscriptions and history, per owner (local stack)', () => {
  let stack: LocalStack;
  let bob: string;
  let queue: OutputCollector;
  const watches: FiredWatch[] = [];
  let aAll: FiredWatch;
  let aLabelX: FiredWatch;
  let aKeyK: FiredWatch;
  let bAll: FiredWatch;
  let bLabelX: FiredWatch;

  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, port: 0, quiet: true, feederIntervalSeconds: 2 });
    bob = await stack.mintToken('bob');
    const a = { 'x-api-key': stack.apiKey };
    const b = { Authorization: bob };
    [aAll, aLabelX, aKeyK, bAll, bLabelX] = await Promise.all([
      watchFired(stack, a),
      watchFired(stack, a, { label: 'x' }),
      watchFired(stack, a, { key: 'k' }),
      watchFired(stack, b),
      watchFired(stack, b, { label: 'x' }),
    ]);
    watches.push(aAll, aLabelX, aKeyK, bAll, bLabelX);
    queue = collectOutputQueue(stack);
  }, 60_000);
  afterAll(async () => {
    for (const watch of watches) watch.close();
    await queue?.stop();
    await stack?.stop();
  });

  const asA = (query: string, variables: Record<string, unknown>) =>
    postGraphql(stack, { 'x-api-key': stack.apiKey }, query, variables);
  const asB = (query: string, variables: Record<string, unknown>) =>
    postGraphql(stack, { authorization: bob }, query, variables);

  async function create(input: Record<string, unknown>): Promise<Schedule> {
    const result = await asA(CREATE, { input });
    const created = result.data?.['createSchedule'] as Schedule | undefined | null;
    if (created == null) throw new Error(`createSchedule failed: ${JSON.stringify(result)}`);
    return created;
  }

  /** Every page of `schedules`, in order, reading on while nextToken is set. */
  async function history(
    call: typeof asA,
    variables: Record<string, unknown>,
  ): Promise<{ pages: Schedule[][]; replies: GraphqlResponse[] }> {
    const pages: Schedule[][] = [];
    const replies: GraphqlResponse[] = [];
    let nextToken: string | null = null;
    do {
      const reply = await call(HISTORY, { ...variables, nextToken });
      replies.push(reply);
      const page = reply.data?.['schedules'] as { items: Schedule[]; nextToken: string | null };
      if (page == null) throw new Error(`schedules failed: ${JSON.stringify(reply)}`);
      pages.push(page.items);
      nextToken = page.nextToken;
    } while (nextToken !== null && pages.length < 100);
    return { pages, replies };
  }

  it('a subscription with label "x" gets only x-labelled events, one with key "k" only that key, another owner none', async () => {
    // Prepare
    const dueAt = iso(Date.now() + 2000);
    const inputs = {
      keyK: { key: 'k', labels: ['x'] },
      labelX: { labels: ['y', 'x'] },
      keyOther: { key: 'k2', labels: ['y'] },
      plain: {},
    };

    // Act
    const made = Object.fromEntries(
      await Promise.all(
        Object.entries(inputs).map(async ([name, extra]) => [
          name,
          await create({ dueAt, payload: JSON.stringify({ name }), ...extra }),
        ]),
      ),
    ) as Record<keyof typeof inputs, Schedule>;
    const all = Object.values(made).map((s) => s.id);
    await waitFor('all four on the unfiltered subscription', () =>
      all.every((id) => aAll.deliveries.some((d) => d.event.id === id)),
    );
    await waitFor('all four on the output queue', () =>
      all.every((id) => queue.deliveries.some((d) => d.event.id === id)),
    );
    await sleep(SETTLE_MS);

    // Assess
    expect(made.keyK).toMatchObject({ key: 'k', labels: ['x'], status: 'QUEUED' });
    expect(made.plain).toMatchObject({ key: null, labels: [] });
    expect(idsOf(aLabelX.deliveries)).toEqual([made.keyK.id, made.labelX.id].sort());
    expect(idsOf(aKeyK.deliveries)).toEqual([made.keyK.id]);
    expect(aKeyK.deliveries[0]?.event).toMatchObject({ key: 'k', labels: ['x'] });
    const queued = queue.deliveries.find((d) => d.event.id === made.labelX.id)?.event;
    expect(queued).toMatchObject({ key: null, labels: ['y', 'x'] });
    expect(bAll.deliveries).toEqual([]);
    expect(bLabelX.deliveries).toEqual([]);
  }, 30_000);

  it('cancel by key frees the key: a new create with it under REJECT succeeds and only that one fires', async () => {
    // Prepare
    const first = await create({ delaySeconds: 3, key: 'c', payload: '{"c":1}' });
    const rejected = await asA(CREATE, { input: { delaySeconds: 3, key: 'c', payload: '{}' } });

    // Act
    const cancelled = await asA(CANCEL, { key: 'c' });
    const second = await create({
      delaySeconds: 2,
      key: 'c',
      onConflict: 'REJECT',
      payload: '{"c":2}',
    });
    const holder = await asA(BY_KEY, { key: 'c' });
    await sleep(Math.max(0, Date.parse(first.dueAt) - Date.now()) + SETTLE_MS * 2);

    // Assess
    expect(rejected.errors?.[0]?.errorType).toBe('ConflictError');
    expect(rejected.errors?.[0]?.message).toContain('"c"');
    expect(rejected.errors?.[0]?.message).toContain(first.id);
    expect(cancelled.data).toEqual({ cancelSchedule: { id: first.id, status: 'CANCELLED' } });
    expect(second.id).not.toBe(first.id);
    expect((holder.data?.['schedule'] as Schedule).id).toBe(second.id);
    const ours = (list: readonly Delivery[]) =>
      list.filter((d) => d.event.key === 'c').map((d) => d.event.id);
    expect(ours(aAll.deliveries)).toEqual([second.id]);
    expect(ours(queue.deliveries)).toEqual([second.id]);
  }, 30_000);

  it('schedules(filter: {status: [FIRED], label}) pages DESC to the end, each fired one once with firedAt and latenessMs', async () => {
    // Prepare: five due within 2 s, one cancelled and one with another label, all of owner A
    const t0 = Date.now();
    const fired = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        create({ dueAt: iso(t0 + 1500 + i * 37), labels: ['h'], payload: `{"h":${i}}` }),
      ),
    );
    const cancelled = await create({ delaySeconds: 600, labels: ['h'], payload: '{}' });
    await asA(CANCEL, { id: cancelled.id });
    const other = await create({ dueAt: iso(t0 + 1500), labels: ['other'], payload: '{}' });
    const everyId = [...fired, other].map((s) => s.id);
    await waitFor('every delivery', () =>
      everyId.every((id) => aAll.deliveries.some((d) => d.event.id === id)),
    );
    // The subscription may run ahead of the FIRED write (both channels must have it).
    await sleep(SETTLE_MS);

    // Act
    const filter = { status: ['FIRED'], label: 'h' };
    const desc = await history(asA, { filter, limit: 2, order: 'DESC' });
    const asc = await history(asA, { filter, limit: 2, order: 'ASC' });
    const bobs = await history(asB, { filter: { label: 'h' }, limit: 2 });
    const bobsAll = await history(asB, {});

    // Assess
    const listed = desc.pages.flat();
    const expected = [...fired].sort((a, b) => b.dueAt.localeCompare(a.dueAt)).map((s) => s.id);
    expect(listed.map((s) => s.id)).toEqual(expected);
    expect(asc.pages.flat().map((s) => s.id)).toEqual([...expected].reverse());
    expect(desc.pages.length).toBeGreaterThan(1);
    expect(desc.pages.every((page) => page.length <= 2)).toBe(true);
    for (const item of listed) {
      expect(item).toMatchObject({ status: 'FIRED', owner: 'api-key', labels: ['h'] });
      expect(item.firedAt).not.toBeNull();
      expect(item.latenessMs).toBe(Date.parse(item.firedAt ?? '') - Date.parse(item.dueAt));
      expect(item.latenessMs).toBeGreaterThanOrEqual(0);
    }
    expect([...bobs.pages.flat(), ...bobsAll.pages.flat()]).toEqual([]);
  }, 30_000);

  it("another owner never reads, lists or cancels owner A's keys", async () => {
    // Prepare
    const held = await create({ delaySeconds: 600, key: 'secret', labels: ['x'], payload: '{}' });

    // Act
    const read = await asB(BY_KEY, { key: 'secret' });
    const cancel = await asB(CANCEL, { key: 'secret' });
    const listed = await history(asB, { filter: { label: 'x' } });
    const stillHeld = await asA(BY_KEY, { key: 'secret' });

    // Assess
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({ schedule: null });
    expect(cancel.errors?.map((e) => e.errorType)).toEqual(['NotFoundError']);
    expect(listed.pages.flat()).toEqual([]);
    expect(stillHeld.data?.['schedule']).toMatchObject({ id: held.id, status: 'QUEUED' });
  });

  it('refuses each bad key, label, channel, reschedule, history and bulk input with an error naming the field and value', async () => {
    // Act
    const replies = await Promise.all(
      keysLabelsBulkEntries().map(async (entry) => {
        const response = await fetch(stack.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey },
          body: entry.body,
        });
        const body = (await response.json()) as GraphqlResponse;
        return { entry, body };
      }),
    );

    // Assess: every reply is a refusal whose message holds every expected text
    const wrong = replies
      .map(({ entry, body }) => {
        const messages = (body.errors ?? []).map((e) => `${e.errorType}: ${e.message}`).join(' | ');
        const missing = (entry.mustName ?? []).filter((text) => !messages.includes(text));
        const request = entry.body.length > 240 ? `${entry.body.slice(0, 240)}…` : entry.body;
        return missing.length === 0 && messages !== '' ? null : { request, messages, missing };
      })
      .filter((problem) => problem !== null);
    expect(wrong).toEqual([]);
  });

  it('refuses onScheduleFired with a bad label or key, naming the argument and the value', async () => {
    // Act
    const refusals = await Promise.all(
      [{ label: 'a b' }, { key: 'k'.repeat(129) }, { label: '' }].map((filter) =>
        watchFired(stack, { 'x-api-key': stack.apiKey }, filter).then(
          (watch) => {
            watch.close();
            return 'accepted';
          },
          (error: Error) => error.message,
        ),
      ),
    );

    // Assess
    expect(refusals[0]).toMatch(/label.*a b/);
    expect(refusals[1]).toMatch(/key.*129/);
    expect(refusals[2]).toMatch(/label.*0/);
  });
});
