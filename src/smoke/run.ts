import { randomUUID } from 'node:crypto';
import { createSchedulerClient, realtimeUrlFor, type SchedulerClient } from '../client/index.js';
import {
  describeError,
  isNetworkFailure,
  meaningOfRefusal,
  meaningOfSubscribeFailure,
  withTimeout,
} from './errors.js';
import { EventCollector } from './events.js';
import type { SmokeOptions } from './options.js';
import {
  DELIVERY_GRACE_MS,
  FAR_MARGIN_SECONDS,
  expectedStatus,
  planSchedules,
  type PlannedSchedule,
} from './plan.js';
import {
  CheckFailedError,
  SmokeReport,
  UnreachableError,
  describeLateness,
  type SmokeOutput,
} from './report.js';
import { checkDeliveries, checkListing, cleanUp, type Created } from './steps.js';

/** Exit codes of `npm run smoke`. */
export const SMOKE_EXIT = { pass: 0, fail: 1, usage: 2, unreachable: 3 } as const;

/** How long one request or the subscription handshake may take (Amplify waits 15 s for acks). */
const REQUEST_TIMEOUT_MS = 30_000;
const ACK_TIMEOUT_MS = 15_000;

/** Everything a step needs. */
export interface SmokeContext {
  readonly options: SmokeOptions;
  readonly client: SchedulerClient;
  readonly report: SmokeReport;
  readonly startMs: number;
  /** Bounds a request so a silent endpoint fails the check instead of hanging the run. */
  bounded<T>(promise: Promise<T>, what: string): Promise<T>;
}

async function checkReach(ctx: SmokeContext): Promise<void> {
  const started = Date.now();
  try {
    await ctx.bounded(
      (async () => {
        for await (const _first of ctx.client.pending({ pageSize: 1 })) break;
      })(),
      'pendingSchedules',
    );
  } catch (error) {
    if (isNetworkFailure(error) || (error as Error).message.startsWith('no answer within'))
      throw new UnreachableError(describeError(error));
    throw new CheckFailedError('reach', {
      expected: 'a GraphQL answer to pendingSchedules with these credentials',
      seen: describeError(error),
      likely: meaningOfRefusal(error),
    });
  }
  ctx.report.pass('reach', `pendingSchedules answered in ${Date.now() - started} ms`);
}

async function subscribe(ctx: SmokeContext): Promise<EventCollector> {
  const started = Date.now();
  try {
    const subscription = await withTimeout(
      ctx.client.watch(),
      ACK_TIMEOUT_MS,
      'connection_ack and start_ack',
      (late) => late.close(),
    );
    ctx.report.pass(
      'subscribe',
      `onScheduleFired started (start_ack) in ${Date.now() - started} ms`,
    );
    return new EventCollector(subscription);
  } catch (error) {
    throw new CheckFailedError('subscribe', {
      expected: `connection_ack and start_ack for onScheduleFired within ${ACK_TIMEOUT_MS / 1000} s`,
      seen: describeError(error),
      likely: meaningOfSubscribeFailure(error),
    });
  }
}

async function createAll(
  ctx: SmokeContext,
  plans: readonly PlannedSchedule[],
  created: Created[],
): Promise<void> {
  const results = await Promise.allSettled(
    plans.map((plan) => ctx.bounded(ctx.client.create(plan.request), 'createSchedule')),
  );
  results.forEach((result, index) => {
    const planned = plans[index];
    if (result.status === 'fulfilled' && planned !== undefined)
      created.push({ planned, schedule: result.value });
  });
  const refused = results.find((result) => result.status === 'rejected');
  if (refused !== undefined)
    throw new CheckFailedError('create', {
      expected: `${plans.length} schedules created`,
      seen: `${created.length} created; ${describeError(refused.reason)}`,
      likely:
        'the resolvers failed (a ValidationError names the field; other errors: the API logs and the delayQueue data source, which must be allowed to send to the delay queue)',
    });
  for (const path of ['fast', 'far'] as const) {
    const ours = created.filter(({ planned }) => (planned.kind === 'far') === (path === 'far'));
    const wrong = ours.filter(
      ({ planned, schedule }) => schedule.status !== expectedStatus(planned.kind),
    );
    const horizon = ctx.options.fastPathHorizonSeconds;
    const inS = (c: Created) => Math.round((Date.parse(c.schedule.dueAt) - ctx.startMs) / 1000);
    const due = `due in ${Math.min(...ours.map(inS))} to ${Math.max(...ours.map(inS))} s`;
    ctx.report.check(
      `${path} path`,
      wrong.length === 0
        ? undefined
        : {
            expected: `status ${path === 'far' ? 'PENDING (written for the feeder)' : 'QUEUED (sent to the delay queue)'} right after createSchedule, ${due}`,
            seen: wrong.map(({ schedule }) => `${schedule.id} ${schedule.status}`).join(', '),
            likely:
              path === 'far'
                ? `the deployment's FAST_PATH_HORIZON_SECONDS is larger than --fast-path-horizon ${horizon}: pass the deployed value`
                : "the deployment's FAST_PATH_HORIZON_SECONDS is under 10 s, so these were written for the feeder",
          },
      `${ours.length} created ${path === 'far' ? 'PENDING' : 'QUEUED'}, ${due}${path === 'far' ? ` (horizon ${horizon} s)` : ''}`,
    );
  }
}

async function cancelOne(ctx: SmokeContext, target: Created): Promise<void> {
  try {
    const result = await ctx.bounded(ctx.client.cancel(target.schedule.id), 'cancelSchedule');
    ctx.report.check(
      'cancel',
      result.status === 'CANCELLED' && result.cancelledAt !== null
        ? undefined
        : {
            expected: 'status CANCELLED with cancelledAt set',
            seen: `status ${result.status}, cancelledAt ${String(result.cancelledAt)}`,
            likely: 'the cancelSchedule resolver returns the item before its update',
          },
      `${target.schedule.id} CANCELLED`,
    );
    target.cancelled = true;
  } catch (error) {
    ctx.report.fail('cancel', {
      expected: `cancelSchedule(${target.schedule.id}) to succeed 9 s before it is due`,
      seen: describeError(error),
      likely: 'an AlreadyFiredError means the schedule fired early; anything else: the API logs',
    });
  }
}

/** Seconds of fast-path horizon up to which the far path fires within `maxWaitSeconds`. */
export function largestFiringHorizon(maxWaitSeconds: number): number {
  return maxWaitSeconds - FAR_MARGIN_SECONDS - DELIVERY_GRACE_MS / 1000 - 5;
}

/** Runs every check against the endpoint, prints them and a PASS or FAIL line, returns the exit code. */
export async function runSmoke(options: SmokeOptions, out: SmokeOutput): Promise<number> {
  const report = new SmokeReport(out);
  const runId = randomUUID().slice(0, 8);
  const startMs = Date.now();
  const ctx: SmokeContext = {
    options,
    report,
    startMs,
    client: createSchedulerClient({
      endpoint: options.endpoint,
      auth: options.auth,
      ...(options.realtimeUrl === undefined ? {} : { realtimeEndpoint: options.realtimeUrl }),
    }),
    bounded: (promise, what) => withTimeout(promise, REQUEST_TIMEOUT_MS, what),
  };
  out.line(`precise-scheduler smoke ${runId}: ${options.endpoint} (${options.authLabel})`);
  report.info(`real-time ${options.realtimeUrl ?? realtimeUrlFor(options.endpoint)}`);
  const created: Created[] = [];
  let events: EventCollector | undefined;
  try {
    await checkReach(ctx);
    events = await subscribe(ctx);
    const plans = planSchedules(runId, startMs, options.fastPathHorizonSeconds);
    await createAll(ctx, plans, created);
    const toCancel = created.find(({ planned }) => planned.kind === 'cancel');
    if (toCancel !== undefined) await cancelOne(ctx, toCancel);
    await checkListing(ctx, created);
    const farFires = options.fastPathHorizonSeconds <= largestFiringHorizon(options.maxWaitSeconds);
    if (!farFires)
      report.info(
        `far path: due past this run, so it is cancelled at clean-up; it fires within the run when the deployment's FAST_PATH_HORIZON_SECONDS and --fast-path-horizon are at most ${largestFiringHorizon(options.maxWaitSeconds)}`,
      );
    await checkDeliveries(ctx, events, created, farFires);
  } catch (error) {
    if (error instanceof UnreachableError) {
      report.fail('reach', {
        expected: `an HTTP answer from ${options.endpoint}`,
        seen: error.message,
        likely:
          'the URL or port is wrong, the stack is not running or not deployed, or a proxy or firewall is in the way',
      });
      out.line(
        `FAIL  the endpoint cannot be reached (${((Date.now() - startMs) / 1000).toFixed(1)} s)`,
      );
      return SMOKE_EXIT.unreachable;
    }
    if (error instanceof CheckFailedError) report.fail(error.check, error.failure);
    else
      report.fail('run', {
        expected: 'the run to finish',
        seen: describeError(error),
        likely: 'a defect in the smoke itself or an unexpected answer; the line above names it',
      });
  } finally {
    events?.close();
  }
  await cleanUp(ctx, created, events);
  summarize(ctx, created, events, out);
  return report.failed.length === 0 ? SMOKE_EXIT.pass : SMOKE_EXIT.fail;
}

function summarize(
  ctx: SmokeContext,
  created: readonly Created[],
  events: EventCollector | undefined,
  out: SmokeOutput,
): void {
  const delivered = created.filter((c) => (events?.eventsOf(c.schedule.id).length ?? 0) > 0);
  const firedEvents = delivered
    .map((c) => events?.eventsOf(c.schedule.id)[0])
    .filter((e) => e !== undefined);
  const expectedFast = created.filter((c) => c.planned.kind === 'fast').length;
  const far = created.filter((c) => c.planned.kind === 'far');
  const farDelivered = delivered.filter((c) => c.planned.kind === 'far').length;
  const cancelled = created.filter((c) => c.planned.kind === 'cancel' && c.cancelled).length;
  const cleaned = far.filter((c) => c.cancelled).length;
  const service = firedEvents.map((e) => e.event.latenessMs);
  const received = firedEvents.map((e) => e.receivedAtMs - Date.parse(e.event.dueAt));
  out.line(
    `delivered ${delivered.length - farDelivered}/${expectedFast} fast, ${farDelivered}/${far.length} far · cancelled ${cancelled}${cleaned > 0 ? ` (+${cleaned} far at clean-up)` : ''} · lateness ${describeLateness(service)} (firedAt - dueAt) · received ${describeLateness(received)} (this clock)`,
  );
  const seconds = ((Date.now() - ctx.startMs) / 1000).toFixed(1);
  const failed = ctx.report.failed;
  out.line(
    failed.length === 0
      ? `PASS  ${ctx.report.passed} checks in ${seconds} s`
      : `FAIL  ${failed.length} of ${ctx.report.passed + failed.length} checks failed (${failed.join(', ')}) in ${seconds} s`,
  );
}
