import { startBenchStack } from '../lib/bench-stack.js';
import { estimateCreateRate, leadMsFor, runFiring, warmUp } from '../lib/firing-run.js';
import { buildResult, deliveryFigures, latenessFigures, type Scenario } from './scenario.js';

/** The fast-path horizon the far scenario sets, so that every schedule takes the feeder path. */
export const FAR_HORIZON_SECONDS = 5;
/** Seconds between feeder passes in the far scenario. */
export const FAR_FEEDER_INTERVAL_SECONDS = 2;

/** Settings that send schedules due in more than 5 s through the table and the feeder. */
export const FAR_PATH_ENV = {
  FAST_PATH_HORIZON_SECONDS: String(FAR_HORIZON_SECONDS),
  LOOKAHEAD_SECONDS: '60',
};

/** N schedules due beyond the fast-path horizon, handed to SQS by the feeder. */
export const farScenario: Scenario = {
  name: 'far',
  description: `schedules due beyond the fast-path horizon (horizon ${FAR_HORIZON_SECONDS} s, feeder every ${FAR_FEEDER_INTERVAL_SECONDS} s)`,
  async run(context) {
    const startedAtMs = Date.now();
    const count = context.n ?? (context.quick ? 30 : 1000);
    const bench = await startBenchStack({
      env: FAR_PATH_ENV,
      feederIntervalSeconds: FAR_FEEDER_INTERVAL_SECONDS,
      pollers: context.pollers,
    });
    try {
      await warmUp(bench);
      // Due well past the horizon, spread over a window, after creation is surely done.
      const windowMs = context.quick ? 2000 : 10_000;
      const rate = await estimateCreateRate(bench, context.concurrency, context.bulk);
      const firstDue = Date.now() + leadMsFor(count, rate, (FAR_HORIZON_SECONDS + 5) * 1000);
      const run = await runFiring(bench, {
        count,
        concurrency: context.concurrency,
        bulk: context.bulk,
        dueAtMs: (index) => firstDue + Math.floor((index * windowMs) / count),
        graceMs: 30_000,
        progress: context.progress,
      });
      return buildResult({
        scenario: `far-${count}${context.bulk ? '-bulk' : ''}`,
        startedAtMs,
        quick: context.quick,
        params: {
          pollers: context.pollers ?? 'default (32)',
          count,
          fastPathHorizonSeconds: FAR_HORIZON_SECONDS,
          feederIntervalSeconds: FAR_FEEDER_INTERVAL_SECONDS,
          concurrency: context.concurrency,
          bulk: context.bulk,
        },
        figures: [
          ...latenessFigures(
            'lateness, subscription',
            run.lateness.subscription,
            undefined,
            undefined,
          ),
          ...deliveryFigures([run.delivery.subscription, run.delivery.queue], undefined),
          {
            name: `creates/s while loading${context.bulk ? ', 25 per request' : ''}`,
            unit: '1/s',
            ours: run.created / run.createSeconds,
          },
        ],
        samples: {
          'ours: subscription': run.lateness.subscription,
          'ours: output queue (firedAt)': run.lateness.queueFiredAt,
        },
        delivery: { subscription: run.delivery.subscription, 'output queue': run.delivery.queue },
        extra: {
          createdAfterDue: run.createdAfterDue,
          httpCalls: run.httpCalls,
          answerTimes: run.answerTimes,
          sdkCalls: run.sdkCalls,
        },
      });
    } finally {
      await bench.close();
    }
  },
};
