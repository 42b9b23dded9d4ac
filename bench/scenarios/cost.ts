import { startBenchStack } from '../lib/bench-stack.js';
import {
  ASSUMPTIONS,
  PRICES,
  costPerMillion,
  publishRequestsPerFiring,
  shardsForPeak,
  unitsPerSchedule,
} from '../lib/cost-model.js';
import { estimateCreateRate, leadMsFor, runFiring, warmUp } from '../lib/firing-run.js';
import { buildResult, type Scenario, type ScenarioContext } from './scenario.js';
import { FAR_PATH_ENV } from './far.js';

/**
 * Fires `count` schedules spread over 10 s (2 s when quick) and counts the calls they cost. On the far path the
 * feeder runs once after creation (its timer is an hour), as one pass a minute does in the cloud.
 */
async function measurePath(context: ScenarioContext, count: number, far: boolean) {
  const bench = await startBenchStack({
    pollers: context.pollers,
    ...(far ? { env: FAR_PATH_ENV, feederIntervalSeconds: 3600 } : {}),
  });
  try {
    await warmUp(bench);
    const windowMs = context.quick ? 2000 : 10_000;
    const rate = await estimateCreateRate(bench, context.concurrency);
    const firstDue = Date.now() + leadMsFor(count, rate, far ? 12_000 : 3000);
    let passed = false;
    const run = await runFiring(bench, {
      count,
      concurrency: context.concurrency,
      dueAtMs: (index) => {
        // The feeder pass starts once the last schedule is being created.
        if (far && index === count - 1 && !passed) {
          passed = true;
          setTimeout(() => void bench.stack.runFeederPass(), 500);
        }
        return firstDue + Math.floor((index * windowMs) / count);
      },
      graceMs: 30_000,
      progress: context.progress,
    });
    const updates = run.delivery.subscription.received;
    const units = unitsPerSchedule(run.created, run.httpCalls, run.sdkCalls, updates);
    const publishesPerFiring = publishRequestsPerFiring(run.httpCalls, run.delivery.queue.received);
    return { run, units, publishesPerFiring, cost: costPerMillion(units) };
  } finally {
    await bench.close();
  }
}

/** Dollars per million schedules on each path, from counted calls and the us-east-1 prices. */
export const costScenario: Scenario = {
  name: 'cost',
  description:
    'AWS calls per schedule on the fast and far paths, priced per million, beside EventBridge Scheduler',
  async run(context) {
    const startedAtMs = Date.now();
    const count = context.n ?? (context.quick ? 30 : 1000);
    context.progress.phase('fast path');
    const fast = await measurePath(context, count, false);
    context.progress.phase('far path');
    const far = await measurePath(context, count, true);
    const peaks = [1000, 10_000, 100_000].map((peak) => ({
      peakPerSecond: peak,
      shards: shardsForPeak(peak),
    }));
    return buildResult({
      scenario: 'cost',
      startedAtMs,
      quick: context.quick,
      params: { count, prices: PRICES, assumptions: ASSUMPTIONS },
      figures: [
        {
          name: '$ per million schedules, fast path',
          unit: 'USD',
          ours: fast.cost.total,
          peer: PRICES.eventBridgeSchedulerPerMillion,
        },
        {
          name: '$ per million schedules, far path',
          unit: 'USD',
          ours: far.cost.total,
          peer: PRICES.eventBridgeSchedulerPerMillion,
        },
      ],
      delivery: {
        'fast: subscription': fast.run.delivery.subscription,
        'fast: output queue': fast.run.delivery.queue,
        'far: subscription': far.run.delivery.subscription,
        'far: output queue': far.run.delivery.queue,
      },
      extra: {
        comparedWith: 'EventBridge Scheduler, $1.00 per million invocations (peer column)',
        fast: {
          publishRequestsPerFiring: fast.publishesPerFiring,
          units: fast.units,
          cost: fast.cost,
          httpCalls: fast.run.httpCalls,
          sdkCalls: fast.run.sdkCalls,
        },
        far: {
          publishRequestsPerFiring: far.publishesPerFiring,
          units: far.units,
          cost: far.cost,
          httpCalls: far.run.httpCalls,
          sdkCalls: far.run.sdkCalls,
        },
        capacity: peaks,
      },
      notes: [
        "The peer column of this scenario is EventBridge Scheduler's list price, not a measurement.",
        `publishScheduleFired requests per firing (one unaliased mutation each): fast ${fast.publishesPerFiring}, far ${far.publishesPerFiring}.`,
        `Shards per bucket for a peak of schedules due in one second (1,000 WCU per partition, one claim write each): ${peaks.map((peak) => `${peak.peakPerSecond.toLocaleString('en-US')}/s -> ${peak.shards}`).join(', ')}.`,
      ],
    });
  },
};
