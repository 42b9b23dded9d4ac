import { isDeepStrictEqual } from 'node:util';
import { SchedulerError, type Schedule } from '../client/index.js';
import { describeError } from './errors.js';
import type { EventCollector } from './events.js';
import { DELIVERY_GRACE_MS, type PlannedSchedule } from './plan.js';
import type { CheckFailure } from './report.js';
import type { SmokeContext } from './run.js';

/** A schedule the run created; `cancelled` once a cancel of it succeeded. */
export interface Created {
  readonly planned: PlannedSchedule;
  readonly schedule: Schedule;
  cancelled?: boolean;
}

/** The owner index behind pendingSchedules is eventually consistent: retry this long. */
const LIST_SETTLE_MS = 10_000;

/** Waiting past the cancelled schedule's due time this long shows it was not delivered. */
const CANCEL_QUIET_MS = 3_000;

/** How long a delivered schedule may take to read FIRED. */
const STATE_SETTLE_MS = 5_000;

const dueMs = (c: Created) => Date.parse(c.schedule.dueAt);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A listing verdict: a failure, and whether a later read may see it settled. */
export interface ListingVerdict {
  readonly failure: CheckFailure | undefined;
  readonly retry: boolean;
  readonly detail: string;
}

/** Judges one full listing of pendingSchedules (limit 1) against what the run created. */
export function judgeListing(
  items: readonly Schedule[],
  far: readonly Created[],
  cancelled: readonly Created[],
): ListingVerdict {
  const ids = items.map((item) => item.id);
  const twice = ids.filter((id, index) => ids.indexOf(id) !== index);
  const detail = `${items.length} items, one page each (limit 1, nextToken followed)`;
  if (twice.length > 0)
    return {
      retry: false,
      detail,
      failure: {
        expected: 'each schedule once across the pages',
        seen: `listed more than once: ${twice.join(', ')}`,
        likely: 'a nextToken that does not resume after the last item of its page',
      },
    };
  const unordered = items.findIndex(
    (item, index) =>
      index > 0 && Date.parse(item.dueAt) < Date.parse(items[index - 1]?.dueAt ?? ''),
  );
  if (unordered > 0)
    return {
      retry: false,
      detail,
      failure: {
        expected: 'items in due order',
        seen: `${items[unordered]?.id} (due ${items[unordered]?.dueAt}) after one due ${items[unordered - 1]?.dueAt}`,
        likely: 'the owner index is not sorted by the due time',
      },
    };
  const missing = far.filter((c) => !ids.includes(c.schedule.id));
  if (missing.length > 0)
    return {
      retry: true,
      detail,
      failure: {
        expected: 'both far-path schedules listed',
        seen: `${detail}; missing ${missing.map((c) => c.schedule.id).join(', ')}`,
        likely: `the far-path write does not put the schedule on the owner index (pendingOwner), or the index has not caught up in ${LIST_SETTLE_MS / 1000} s`,
      },
    };
  const stillListed = cancelled.filter((c) => ids.includes(c.schedule.id));
  if (stillListed.length > 0)
    return {
      retry: true,
      detail,
      failure: {
        expected: 'the cancelled schedule no longer listed',
        seen: `still listed: ${stillListed.map((c) => c.schedule.id).join(', ')}`,
        likely: `cancelSchedule does not take the schedule off the owner index (pendingOwner), or the index has not caught up in ${LIST_SETTLE_MS / 1000} s`,
      },
    };
  const statuses = far.map((c) => items.find((item) => item.id === c.schedule.id)?.status);
  return {
    retry: false,
    detail: `${detail}; far-path ones listed (${statuses.join(', ')}), the cancelled one absent`,
    failure: undefined,
  };
}

/** Pages pendingSchedules with a limit of 1 from before the run to the last far-path due time. */
export async function checkListing(ctx: SmokeContext, created: readonly Created[]): Promise<void> {
  const far = created.filter((c) => c.planned.kind === 'far');
  if (far.length === 0) return;
  const from = new Date(ctx.startMs - 60_000);
  const to = new Date(Math.max(...far.map(dueMs)) + 1);
  const settleBy = Date.now() + LIST_SETTLE_MS;
  for (;;) {
    const items: Schedule[] = [];
    try {
      await ctx.bounded(
        (async () => {
          for await (const item of ctx.client.pending({ from, to, pageSize: 1 })) items.push(item);
        })(),
        'pendingSchedules pages',
      );
    } catch (error) {
      ctx.report.fail('list', {
        expected: 'every page of pendingSchedules (limit 1), following nextToken',
        seen: `${items.length} items read, then ${describeError(error)}`,
        likely: 'the API refuses its own nextToken, or a page query failed (API logs)',
      });
      return;
    }
    const verdict = judgeListing(
      items,
      far,
      created.filter((c) => c.cancelled === true),
    );
    if (verdict.failure === undefined || !verdict.retry || Date.now() >= settleBy) {
      ctx.report.check('list', verdict.failure, verdict.detail);
      return;
    }
    await sleep(1000);
  }
}

function parsePayload(payload: unknown): unknown {
  if (typeof payload !== 'string') return payload;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return payload;
  }
}

/** Problems with the deliveries of `list`: missing, duplicated, or not what was created. */
export function judgeDeliveries(
  list: readonly Created[],
  events: Pick<EventCollector, 'eventsOf' | 'endedWith'>,
  graceMs: number,
  likelyWhenMissing: string,
): CheckFailure | undefined {
  const missing = list.filter((c) => events.eventsOf(c.schedule.id).length === 0);
  const twice = list.filter((c) => events.eventsOf(c.schedule.id).length > 1);
  const altered = list.filter((c) => {
    const first = events.eventsOf(c.schedule.id)[0]?.event;
    return (
      first !== undefined &&
      (first.dueAt !== c.schedule.dueAt ||
        first.owner !== c.schedule.owner ||
        !isDeepStrictEqual(parsePayload(first.payload), c.planned.payload))
    );
  });
  const expected = `each of ${list.length} delivered once to the subscriber by due + ${graceMs / 1000} s, with its payload`;
  const delivered = `${list.length - missing.length} of ${list.length} delivered`;
  if (missing.length > 0) {
    const ended =
      events.endedWith === undefined
        ? ''
        : `; the subscription ended: ${describeError(events.endedWith)}`;
    return {
      expected,
      seen: `${delivered}; missing ${missing.map((c) => c.schedule.id).join(', ')}${ended}`,
      likely: likelyWhenMissing,
    };
  }
  if (twice.length > 0)
    return {
      expected,
      seen: `delivered more than once: ${twice.map((c) => c.schedule.id).join(', ')}`,
      likely:
        'an SQS message redelivered after its claim (rare), or a claim that is not a single conditional write',
    };
  if (altered.length > 0) {
    const first = altered[0];
    const event = first === undefined ? undefined : events.eventsOf(first.schedule.id)[0]?.event;
    return {
      expected,
      seen: `${first?.schedule.id} arrived as ${JSON.stringify(event)}; created due ${first?.schedule.dueAt} with ${JSON.stringify(first?.planned.payload)}`,
      likely:
        'the dispatcher publishes a different item than the one it claimed, or the subscription selects other fields',
    };
  }
  return undefined;
}

const FAST_MISSING =
  "the dispatcher did not fire them, or publishScheduleFired did not reach subscribers: read the dispatcher's log group and the delay queue's dead-letter queue; if the payloads are on the output queue, the publish to AppSync is what failed";
const FAR_MISSING =
  "the feeder did not hand them over: the trigger rule must run every minute; read the feeder's log group and its errors alarm, and check that --fast-path-horizon is the deployed value";

/** Waits for the deliveries and checks them, the cancel, the lateness and the final states. */
export async function checkDeliveries(
  ctx: SmokeContext,
  events: EventCollector,
  created: readonly Created[],
  farFires: boolean,
): Promise<void> {
  const { report, options } = ctx;
  const has = (c: Created) => events.eventsOf(c.schedule.id).length > 0;
  const lastDue = (list: readonly Created[]) => Math.max(...list.map(dueMs));
  const runEnd = ctx.startMs + options.maxWaitSeconds * 1000;
  const fast = created.filter((c) => c.planned.kind === 'fast');
  const toCancel = created.filter((c) => c.planned.kind === 'cancel');
  const far = created.filter((c) => c.planned.kind === 'far');
  const quietUntil = toCancel.length === 0 ? 0 : lastDue(toCancel) + CANCEL_QUIET_MS;
  await events.waitUntil(
    () => fast.every(has) && Date.now() >= quietUntil,
    Math.min(runEnd, Math.max(lastDue(fast) + DELIVERY_GRACE_MS, quietUntil)),
  );
  report.check(
    'deliver',
    judgeDeliveries(fast, events, DELIVERY_GRACE_MS, FAST_MISSING),
    `${fast.length} fast-path schedules delivered once each, payloads intact`,
  );
  const leaked = toCancel.filter(has);
  report.check(
    'cancel held',
    leaked.length === 0
      ? undefined
      : {
          expected: 'no delivery after a successful cancelSchedule',
          seen: `delivered: ${leaked.map((c) => `${c.schedule.id} at ${events.eventsOf(c.schedule.id)[0]?.event.firedAt}`).join(', ')}`,
          likely: "the dispatcher's claim does not refuse a CANCELLED schedule",
        },
    `the cancelled schedule was not delivered ${CANCEL_QUIET_MS / 1000} s past its due time`,
  );
  if (farFires && far.length > 0) {
    report.info(
      `waiting for the far path: due in ${Math.round((lastDue(far) - Date.now()) / 1000)} s, handed over by the feeder`,
    );
    await events.waitUntil(
      () => far.every(has),
      Math.min(runEnd, lastDue(far) + DELIVERY_GRACE_MS),
    );
    report.check(
      'far fires',
      judgeDeliveries(far, events, DELIVERY_GRACE_MS, FAR_MISSING),
      `${far.length} far-path schedules delivered once each through the feeder`,
    );
  }
  checkLateness(ctx, events, created);
  await checkStates(ctx, events, [...toCancel, ...fast.filter(has).slice(0, 1)]);
}

function checkLateness(ctx: SmokeContext, events: EventCollector, created: readonly Created[]) {
  const lateness = created
    .flatMap((c) => events.eventsOf(c.schedule.id).slice(0, 1))
    .map((r) => r.event.latenessMs);
  if (lateness.length === 0) return;
  const worst = Math.max(...lateness);
  const earliest = Math.min(...lateness);
  const limit = ctx.options.maxLatenessMs;
  ctx.report.check(
    'lateness',
    earliest >= 0 && worst <= limit
      ? undefined
      : {
          expected: `every latenessMs from 0 to ${limit} ms (--max-lateness-ms)`,
          seen: `from ${earliest} to ${worst} ms`,
          likely:
            earliest < 0
              ? 'the dispatcher fired before the due time: its hold of early messages is off'
              : 'cold starts or a backlog on the delay queue (see the LatenessP99 alarm and the oldest-message-age alarm); a first run after deploy is slower',
        },
    `every latenessMs from 0 to ${limit} ms`,
  );
}

async function checkStates(ctx: SmokeContext, events: EventCollector, list: readonly Created[]) {
  const wrong: string[] = [];
  for (const c of list) {
    const expected = events.eventsOf(c.schedule.id).length > 0 ? 'FIRED' : 'CANCELLED';
    // A delivered schedule may read FIRING while its other channel (the output queue) finishes.
    const settleBy = Date.now() + STATE_SETTLE_MS;
    let seen: string;
    for (;;) {
      try {
        const now = await ctx.bounded(ctx.client.get(c.schedule.id), 'schedule');
        seen = now?.status ?? 'not found';
      } catch (error) {
        seen = describeError(error);
      }
      if (seen === expected || Date.now() >= settleBy) break;
      await sleep(500);
    }
    if (seen !== expected) wrong.push(`${c.schedule.id} ${seen} (expected ${expected})`);
  }
  ctx.report.check(
    'state',
    wrong.length === 0
      ? undefined
      : {
          expected:
            'schedule(id) FIRED for a delivered schedule and CANCELLED for the cancelled one',
          seen: wrong.join('; '),
          likely:
            'the stored state disagrees with what subscribers saw (a claim or cancel that did not persist)',
        },
    `schedule(id) reads ${list.map((c) => (c.cancelled === true ? 'CANCELLED' : 'FIRED')).join(' and ')}`,
  );
}

/**
 * Cancels every schedule of the run that is still live (the far-path ones when they are due past
 * the run, and anything a failed run left), so a smoke leaves nothing behind.
 */
export async function cleanUp(
  ctx: SmokeContext,
  created: readonly Created[],
  events: EventCollector | undefined,
): Promise<void> {
  const live = created.filter(
    (c) => c.cancelled !== true && (events?.eventsOf(c.schedule.id).length ?? 0) === 0,
  );
  if (live.length === 0) return;
  const left: string[] = [];
  for (const c of live) {
    try {
      const result = await ctx.bounded(ctx.client.cancel(c.schedule.id), 'cancelSchedule');
      if (result.status === 'CANCELLED') c.cancelled = true;
      else left.push(`${c.schedule.id} ${result.status}`);
    } catch (error) {
      // Fired but not seen (a failed delivery check says so already): nothing is left pending.
      if (error instanceof SchedulerError && error.errorType === 'AlreadyFiredError') continue;
      left.push(`${c.schedule.id}: ${describeError(error)}`);
    }
  }
  const far = live.filter((c) => c.planned.kind === 'far' && c.cancelled === true).length;
  const others = live.filter((c) => c.planned.kind !== 'far' && c.cancelled === true).length;
  ctx.report.check(
    'clean-up',
    left.length === 0
      ? undefined
      : {
          expected: "cancelSchedule to succeed for each of the run's schedules still live",
          seen: left.join('; '),
          likely:
            'the API became unreachable, or these schedules are in a state cancel does not accept; cancel them by hand',
        },
    `cancelled what was still live (${far} far-path ones${others > 0 ? `, ${others} others` : ''})`,
  );
}
