import { startBenchStack } from '../lib/bench-stack.js';
import { runFiring, warmUp } from '../lib/firing-run.js';
import { buildResult, deliveryFigures, latenessFigures, type Scenario } from './scenario.js';

const LEAD_MS = 5000;

/** N schedules due evenly over a window; created in due order while earlier ones fire. */
export const spreadScenario: Scenario = {
  name: 'spread',
  description:
    'N schedules spread evenly over a window (default 100,000 over 600 s; target p99 <= 200 ms)',
  async run(context) {
    const startedAtMs = Date.now();
    const count = context.n ?? (context.quick ? 50 : 100_000);
    const durationSeconds = context.durationSeconds ?? (context.quick ? 5 : 600);
    const bench = await startBenchStack();
    try {
      await warmUp(bench);
      const firstDue = Date.now() + LEAD_MS;
      const stepMs = (durationSeconds * 1000) / count;
      const run = await runFiring(bench, {
        count,
        concurrency: context.concurrency,
        dueAtMs: (index) => Math.round(firstDue + index * stepMs),
        graceMs: 30_000,
        progress: context.progress,
      });
      return buildResult({
        scenario: `spread-${count}-${durationSeconds}s`,
        startedAtMs,
        quick: context.quick,
        params: {
          count,
          durationSeconds,
          ratePerSecond: count / durationSeconds,
          concurrency: context.concurrency,
        },
        figures: [
          ...latenessFigures(
            'lateness, subscription',
            run.lateness.subscription,
            undefined,
            '<= 200',
          ),
          ...latenessFigures(
            'lateness, queue firedAt',
            run.lateness.queueFiredAt,
            undefined,
            undefined,
          ).filter((figure) => figure.name.endsWith('p99')),
          ...deliveryFigures([run.delivery.subscription, run.delivery.queue], undefined),
        ],
        samples: {
          'ours: subscription': run.lateness.subscription,
          'ours: output queue (firedAt)': run.lateness.queueFiredAt,
        },
        delivery: { subscription: run.delivery.subscription, 'output queue': run.delivery.queue },
        extra: {
          createdAfterDue: run.createdAfterDue,
          httpCalls: run.httpCalls,
          sdkCalls: run.sdkCalls,
        },
        notes:
          run.createdAfterDue > 0
            ? [
                `${run.createdAfterDue} schedules were created after their due time (creation fell behind)`,
              ]
            : [],
      });
    } finally {
      await bench.close();
    }
  },
};
