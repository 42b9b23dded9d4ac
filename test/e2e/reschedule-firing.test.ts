/*
 * rescheduleSchedule, cancel and keyed REPLACE judged by what consumers receive: the AppSync
 * real-time subscription and the output queue of the local stack, through the public GraphQL API.
 * The stack runs with FAST_PATH_HORIZON_SECONDS=10 (due within 10 s: straight to the delay queue;
 * later: the table, handed over by the feeder), a feeder pass every second and
 * LOOKAHEAD_SECONDS=60, so both paths fire within a test.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../src/aws/clients.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
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

/**
 * From the due time to a consumer holding the event (arrival on the socket or the queue), for one
 * schedule: generous for a 2-core machine shared with other test runs, not a benchmark.
 */
const LATENESS_BOUND_MS = 1500;
/** The same for 50 schedules due in one millisecond (claims and publishes queue up). */
const BURST_LATENESS_BOUND_MS = 3000;
/** How long to keep listening after the expected deliveries, to catch duplicates. */
const SETTLE_MS = 1500;

const FIELDS = 'id dueAt status key labels payload rescheduledTo';
const CREATE = `mutation C($input: CreateScheduleInput!) { createSchedule(input: $input) { ${FIELDS} } }`;
const RESCHEDULE = `mutation R($id: ID, $key: String, $dueAt: AWSDateTime, $delaySeconds: Int) {
  rescheduleSchedule(id: $id, key: $key, dueAt: $dueAt, delaySeconds: $delaySeconds) { ${FIELDS} } }`;
const CANCEL =
  'mutation X($id: ID, $key: String) { cancelSchedule(id: $id, key: $key) { id status } }';
const BY_KEY = `query K($key: String) { schedule(key: $key) { ${FIELDS} } }`;
const PENDING = `query P($nextToken: String) {
  pendingSchedules(limit: 100, nextToken: $nextToken) { items { id key status } nextToken } }`;
const HISTORY = `query H($filter: ScheduleFilter, $nextToken: String) {
  schedules(filter: $filter, limit: 100, nextToken: $nextToken) { items { id key status } nextToken } }`;

interface Schedule {
  readonly id: string;
  readonly dueAt: string;
  readonly status: string;
  readonly key: string | null;
  readonly payload: string;
}

const sleepUntil = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));
const iso = (ms: number) => new Date(ms).toISOString();

describe('reschedule and cancel as consumers see them (local stack, 10 s fast-path horizon, feeder every 1 s)', () => {
  let stack: LocalStack;
  let live: FiredWatch;
  let queue: OutputCollector;
  const lateness: Record<string, number[]> = {};

  beforeAll(async () => {
    stack = await startLocalStack({
      memory: true,
      port: 0,
      quiet: true,
      feederIntervalSeconds: 1,
      env: { FAST_PATH_HORIZON_SECONDS: '10', LOOKAHEAD_SECONDS: '60' },
    });
    live = await watchFired(stack, { 'x-api-key': stack.apiKey });
    queue = collectOutputQueue(stack);
    // One pass through each pipeline first: the first request of each compiles its functions,
    // which would eat into the few seconds the timed tests allow.
    const headers = { 'x-api-key': stack.apiKey };
    const warm = { dueAt: iso(Date.now() + 600_000), key: 'warm-up', payload: '{}' };
    await postGraphql(stack, headers, CREATE, { input: warm });
    await postGraphql(stack, headers, RESCHEDULE, { key: 'warm-up', delaySeconds: 700 });
    await postGraphql(stack, headers, BY_KEY, { key: 'warm-up' });
    await postGraphql(stack, headers, CANCEL, { key: 'warm-up' });
  }, 60_000);
  afterAll(async () => {
    console.info(`reschedule-firing lateness (ms, due -> consumer): ${JSON.stringify(lateness)}`);
    live?.close();
    await queue?.stop();
    await stack?.stop();
  });

  const gql = (query: string, variables: Record<string, unknown>): Promise<GraphqlResponse> =>
    postGraphql(stack, { 'x-api-key': stack.apiKey }, query, variables);

  async function call<T>(field: string, query: string, variables: Record<string, unknown>) {
    const result = await gql(query, variables);
    const value = result.data?.[field] as T | undefined | null;
    if (value == null) throw new Error(`${field} failed: ${JSON.stringify(result)}`);
    return value;
  }
  /** Every item of a paged list, reading on while nextToken is set. */
  async function allPages(field: string, query: string, variables: Record<string, unknown>) {
    const items: { id: string; key: string | null; status: string }[] = [];
    let nextToken: string | null = null;
    do {
      const page: { items: typeof items; nextToken: string | null } = await call(field, query, {
        ...variables,
        nextToken,
      });
      items.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken !== null);
    return items;
  }
  const create = (input: Record<string, unknown>) =>
    call<Schedule>('createSchedule', CREATE, { input });
  const reschedule = (args: Record<string, unknown>) =>
    call<Schedule>('rescheduleSchedule', RESCHEDULE, args);

  /** Every delivery on each channel whose payload is `payload` (old and new ids alike). */
  function deliveriesOf(payload: string) {
    const match = (d: Delivery) => d.event.payload === payload;
    return { subscription: live.deliveries.filter(match), queue: queue.deliveries.filter(match) };
  }

  /** Waits for both channels to have `count` deliveries of `payloads`, then listens on a while. */
  async function awaitDeliveries(payloads: readonly string[], timeoutMs = 20_000) {
    const set = new Set(payloads);
    const count = (list: Delivery[]) => list.filter((d) => set.has(d.event.payload)).length;
    await waitFor(
      `${payloads.length} deliveries on each channel`,
      () => count(live.deliveries) >= set.size && count(queue.deliveries) >= set.size,
      timeoutMs,
    ).catch(() => undefined);
    await sleepUntil(Date.now() + SETTLE_MS);
  }

  /** Asserts exactly one delivery per channel, of `newId`, at or after `dueMs` and within `bound`. */
  function expectOneAtNewTime(name: string, payload: string, newId: string, dueMs: number) {
    const got = deliveriesOf(payload);
    for (const [channel, list] of Object.entries(got)) {
      expect(
        list.map((d) => ({ channel, id: d.event.id, atMs: d.receivedAt - dueMs })),
        `${name}: ${channel}`,
      ).toEqual([{ channel, id: newId, atMs: expect.any(Number) as number }]);
      const [one] = list as [Delivery];
      expect(one.event.dueAt).toBe(iso(dueMs));
      expect(Date.parse(one.event.firedAt)).toBeGreaterThanOrEqual(dueMs);
      expect(one.receivedAt).toBeGreaterThanOrEqual(dueMs);
      expect(one.receivedAt - dueMs).toBeLessThan(LATENESS_BOUND_MS);
      (lateness[`${name} ${channel}`] ??= []).push(one.receivedAt - dueMs);
    }
  }

  it('fast -> fast: due in 3 s, moved to 6 s, is delivered once on each channel at the new time only', async () => {
    // Prepare
    const t0 = Date.now();
    const payload = JSON.stringify({ test: 'fast-fast', t0 });
    const old = await create({ dueAt: iso(t0 + 3000), payload });

    // Act
    const moved = await reschedule({ id: old.id, dueAt: iso(t0 + 6000) });
    await sleepUntil(t0 + 6000);
    await awaitDeliveries([payload]);

    // Assess
    expect(old.status).toBe('QUEUED');
    expect(moved).toMatchObject({ status: 'QUEUED', payload, dueAt: iso(t0 + 6000) });
    expect(moved.id).not.toBe(old.id);
    expectOneAtNewTime('fast->fast', payload, moved.id, t0 + 6000);
  }, 40_000);

  it('fast -> far across the 10 s horizon: due in 3 s, moved to 14 s, fires once at 14 s via the feeder', async () => {
    // Prepare
    const t0 = Date.now();
    const payload = JSON.stringify({ test: 'fast-far', t0 });
    const old = await create({ dueAt: iso(t0 + 3000), payload });

    // Act
    const moved = await reschedule({ id: old.id, dueAt: iso(t0 + 14_000) });
    await sleepUntil(t0 + 14_000);
    await awaitDeliveries([payload]);

    // Assess
    expect(old.status).toBe('QUEUED');
    expect(moved.status).toBe('PENDING');
    expectOneAtNewTime('fast->far', payload, moved.id, t0 + 14_000);
  }, 40_000);

  it('far -> fast across the 10 s horizon: due in 16 s, moved to 4 s, fires once at 4 s and not at 16 s', async () => {
    // Prepare
    const t0 = Date.now();
    const payload = JSON.stringify({ test: 'far-fast', t0 });
    const old = await create({ dueAt: iso(t0 + 16_000), payload });

    // Act
    const moved = await reschedule({ id: old.id, dueAt: iso(t0 + 4000) });
    await sleepUntil(t0 + 4000);
    await awaitDeliveries([payload]);
    await sleepUntil(t0 + 16_000 + LATENESS_BOUND_MS + SETTLE_MS);

    // Assess
    expect(old.status).toBe('PENDING');
    expect(moved.status).toBe('QUEUED');
    expectOneAtNewTime('far->fast', payload, moved.id, t0 + 4000);
  }, 40_000);

  /** Waits until the delay queue's only message is in flight (received by a dispatcher poller). */
  async function awaitHeldByDispatcher(beforeMs: number) {
    const sqs = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
    try {
      for (;;) {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: stack.delayQueueUrl, AttributeNames: ['All'] }),
        );
        const inFlight = Number(Attributes['ApproximateNumberOfMessagesNotVisible']);
        const delayed = Number(Attributes['ApproximateNumberOfMessagesDelayed']);
        const ready = Number(Attributes['ApproximateNumberOfMessages']);
        if (inFlight >= 1 && delayed === 0 && ready === 0) return;
        if (Date.now() > beforeMs) {
          throw new Error(
            `the message was not with the dispatcher before it was due: ${JSON.stringify(Attributes)}`,
          );
        }
        await sleepUntil(Date.now() + 10);
      }
    } finally {
      sqs.destroy();
    }
  }

  /**
   * One race with a held message: a schedule due in 1.9 s (its 1 s SQS delay is rounded down, so
   * the dispatcher receives it about 1 s in and holds the rest), acted on as soon as the
   * dispatcher holds it.
   */
  async function raceHeld(test: string, act: (id: string) => Promise<GraphqlResponse>) {
    const t0 = Date.now();
    const dueMs = t0 + 1900;
    const payload = JSON.stringify({ test, t0 });
    const old = await create({ dueAt: iso(dueMs), payload });
    await awaitHeldByDispatcher(dueMs - 300);
    const sentBeforeDueMs = dueMs - Date.now();
    const answer = await act(old.id);
    const answeredBeforeDueMs = dueMs - Date.now();
    console.info(
      `${test}: sent ${sentBeforeDueMs} ms before due, answered ${answeredBeforeDueMs} ms before due: ${JSON.stringify(answer.errors?.[0]?.errorType ?? 'ok')}`,
    );
    return { old, dueMs, payload, answer };
  }

  /** Rounds of a race: the machine is shared, so the dispatcher may claim before the act lands. */
  const HELD_ROUNDS = 3;

  it('moving a schedule while the dispatcher holds its message (300 to 900 ms before due) delivers once, at the new time', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < HELD_ROUNDS && !outcomes.includes('moved'); round += 1) {
      // Act
      const race = await raceHeld('held reschedule', (id) =>
        gql(RESCHEDULE, { id, dueAt: iso(Date.now() + 3000) }),
      );
      const moved = race.answer.data?.['rescheduleSchedule'] as Schedule | undefined | null;
      const newDueMs = moved ? Date.parse(moved.dueAt) : race.dueMs;
      await sleepUntil(newDueMs);
      await awaitDeliveries([race.payload]);

      // Assess: the answer and what consumers got agree, whichever side won
      if (moved) {
        outcomes.push('moved');
        expectOneAtNewTime('held reschedule', race.payload, moved.id, newDueMs);
      } else {
        outcomes.push(race.answer.errors?.[0]?.errorType ?? 'no answer');
        expect(race.answer.errors?.map((e) => e.errorType)).toEqual(['AlreadyFiredError']);
        expectOneAtNewTime('held reschedule lost', race.payload, race.old.id, race.dueMs);
      }
    }
    expect(outcomes).toContain('moved');
  }, 60_000);

  it('cancelling while the dispatcher holds the message (300 to 900 ms before due) delivers nothing at all', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < HELD_ROUNDS && !outcomes.includes('cancelled'); round += 1) {
      // Act
      const race = await raceHeld('held cancel', (id) => gql(CANCEL, { id }));
      await sleepUntil(race.dueMs);
      await awaitDeliveries([race.payload], LATENESS_BOUND_MS);

      // Assess
      if (race.answer.errors === undefined) {
        outcomes.push('cancelled');
        expect(race.answer.data).toEqual({
          cancelSchedule: { id: race.old.id, status: 'CANCELLED' },
        });
        expect(deliveriesOf(race.payload)).toEqual({ subscription: [], queue: [] });
      } else {
        outcomes.push(race.answer.errors[0]?.errorType ?? 'no answer');
        expect(race.answer.errors.map((e) => e.errorType)).toEqual(['AlreadyFiredError']);
        expectOneAtNewTime('held cancel lost', race.payload, race.old.id, race.dueMs);
      }
    }
    expect(outcomes).toContain('cancelled');
  }, 60_000);

  it('50 keyed schedules rescheduled concurrently by key: none at the old time, all 50 once at the new', async () => {
    // Prepare
    const t0 = Date.now();
    // Room for 50 creates and 50 reschedules on a loaded machine before the old time (20 s is
    // beyond the horizon: they wait in the table until the feeder hands them over).
    const oldDueMs = t0 + 20_000;
    const newDueMs = t0 + 24_000;
    const run = `d${t0}`;
    const inputs = Array.from({ length: 50 }, (_, i) => ({
      dueAt: iso(oldDueMs),
      key: `${run}-${i}`,
      payload: JSON.stringify({ run, i }),
    }));
    const created: Schedule[] = [];
    for (let start = 0; start < inputs.length; start += 10) {
      created.push(...(await Promise.all(inputs.slice(start, start + 10).map(create))));
    }

    // Act
    const moved = await Promise.all(
      inputs.map((input) => reschedule({ key: input.key, dueAt: iso(newDueMs) })),
    );
    const answeredBeforeDueMs = oldDueMs - Date.now();
    console.info(
      `50 by key: created and rescheduled in ${Date.now() - t0} ms, ${answeredBeforeDueMs} ms before the old due time`,
    );
    const payloads = inputs.map((input) => input.payload);
    await sleepUntil(newDueMs);
    await awaitDeliveries(payloads, 30_000);

    // Assess
    expect(answeredBeforeDueMs).toBeGreaterThan(0);
    expect(moved.map((m) => m.key)).toEqual(inputs.map((input) => input.key));
    const oldIds = new Set(created.map((c) => c.id));
    const newIds = moved.map((m) => m.id);
    for (const [channel, list] of [
      ['subscription', live.deliveries],
      ['queue', queue.deliveries],
    ] as const) {
      const ours = list.filter((d) => payloads.includes(d.event.payload));
      const late = ours.map((d) => d.receivedAt - newDueMs);
      (lateness[`50 by key ${channel} (max)`] ??= []).push(Math.max(...late));
      expect(
        ours.filter((d) => oldIds.has(d.event.id)),
        `${channel}: old ids`,
      ).toEqual([]);
      expect(
        ours.filter((d) => d.receivedAt < newDueMs),
        `${channel}: early`,
      ).toEqual([]);
      expect(ours.map((d) => d.event.id).sort(), channel).toEqual([...newIds].sort());
      expect(Math.max(...late)).toBeLessThan(BURST_LATENESS_BOUND_MS);
    }
  }, 60_000);

  it('REPLACE under 20 concurrent creates with one key leaves one live schedule and delivers it once', async () => {
    // Prepare
    const t0 = Date.now();
    const key = `e${t0}`;
    const label = `replace-${t0}`;
    const dueOf = (i: number) => t0 + 6000 + i * 100;
    const first = await create({ dueAt: iso(t0 + 4000), key, payload: '{"first":true}' });

    // Act: every create meets a live holder, so each runs the supersede protocol
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gql(CREATE, {
          input: {
            dueAt: iso(dueOf(i)),
            key,
            onConflict: 'REPLACE',
            labels: [label],
            payload: JSON.stringify({ key, i }),
          },
        }),
      ),
    );
    const liveInPending = (await allPages('pendingSchedules', PENDING, {})).filter(
      (item) => item.key === key,
    );
    const liveInHistory = await allPages('schedules', HISTORY, {
      filter: { status: ['PENDING', 'QUEUED', 'FIRING'], label },
    });
    const holder = await call<Schedule>('schedule', BY_KEY, { key });
    await sleepUntil(dueOf(19));
    await waitFor(
      'a delivery of the key on each channel',
      () =>
        live.deliveries.some((d) => d.event.key === key) &&
        queue.deliveries.some((d) => d.event.key === key),
      20_000,
    ).catch(() => undefined);
    await sleepUntil(Date.now() + SETTLE_MS);

    // Assess
    const refused = answers.filter((a) => a.errors !== undefined);
    const accepted = answers.filter((a) => a.errors === undefined);
    console.info(`REPLACE x20: ${accepted.length} accepted, ${refused.length} refused`);
    expect(first.key).toBe(key);
    expect(accepted.length).toBeGreaterThan(0);
    expect(
      refused.flatMap((a) => a.errors ?? []).filter((e) => e.errorType !== 'ConflictError'),
    ).toEqual([]);
    expect(liveInPending.map((item) => item.id)).toEqual([holder.id]);
    expect(liveInHistory.map((item) => item.id)).toEqual([holder.id]);
    const byKey = (list: Delivery[]) =>
      list.filter((d) => d.event.key === key).map((d) => d.event.id);
    expect(byKey(live.deliveries)).toEqual([holder.id]);
    expect(byKey(queue.deliveries)).toEqual([holder.id]);
  }, 60_000);
});
