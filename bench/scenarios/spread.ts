import { startBenchStack } from '../lib/bench-stack.js';
import { estimateCreateRate, runFiring, warmUp } from '../lib/firing-run.js';
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
    const bench = await startBenchStack({ pollers: context.pollers });
    try {
      await warmUp(bench);
      // When creating is slower than the due rate, start late enough that creation never falls behind.
      const rate = await estimateCreateRate(bench, context.concurrency);
      const behindMs = Math.max(0, (count / rate - durationSeconds) * 1000);
      const leadMs = Math.round(LEAD_MS + 1.5 * behindMs);
      const firstDue = Date.now() + leadMs;
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
          pollers: context.pollers ?? 'default (32)',
          count,
          durationSeconds,
          ratePerSecond: count / durationSeconds,
          leadMs,
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
          // Creating runs flat out for the first part of the window and competes for the CPU.
          ...latenessFigures(
            'lateness, subscription, due after the last create',
            run.lateness.subscriptionAfterCreating,
            undefined,
            undefined,
          ).filter((figure) => figure.name.endsWith('p99')),
          ...deliveryFigures([run.delivery.subscription, run.delivery.queue], undefined),
        ],
        samples: {
          'ours: subscription': run.lateness.subscription,
          'ours: output queue (firedAt)': run.lateness.queueFiredAt,
          'ours: subscription, due after the last create': run.lateness.subscriptionAfterCreating,
        },
        delivery: { subscription: run.delivery.subscription, 'output queue': run.delivery.queue },
        extra: {
          createdAfterDue: run.createdAfterDue,
          createSeconds: run.createSeconds,
          httpCalls: run.httpCalls,
          answerTimes: run.answerTimes,
          sdkCalls: run.sdkCalls,
        },
        notes:
          run.createdAfterDue > 0
            ? [
                `${run.createdAfterDue} schedules were created after their due time (creation fell behind): left out of the lateness figures, counted for lost and duplicated`,
              ]
            : [],
      });
    } finally {
      await bench.close();
    }
  },
};
