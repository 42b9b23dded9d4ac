import { startBenchStack } from '../lib/bench-stack.js';
import { runPeerCreate } from '../lib/bullmq-peer.js';
import { runPool } from '../lib/pool.js';
import { createSchedule } from '../lib/scheduler-api.js';
import { buildResult, type Scenario, type ScenarioContext } from './scenario.js';

async function measureCreates(
  context: ScenarioContext,
  count: number,
  delayMs: number,
  label: string,
) {
  const bench = await startBenchStack({ observe: false });
  try {
    await createSchedule(bench.stack, new Date(Date.now() + delayMs), { warmUp: true });
    context.progress.phase(label);
    let done = 0;
    const started = performance.now();
    await runPool(count, context.concurrency, async (index) => {
      await createSchedule(bench.stack, new Date(Date.now() + delayMs), { index });
      done += 1;
      context.progress.update(done, count);
    });
    return count / ((performance.now() - started) / 1000);
  } finally {
    await bench.close();
  }
}

/** Schedules accepted per second through GraphQL with `--concurrency` requests in flight. */
export const createScenario: Scenario = {
  name: 'create',
  description:
    'createSchedule throughput through GraphQL, fast path and far path (target >= 1,000/s)',
  async run(context) {
    const startedAtMs = Date.now();
    const count = context.n ?? (context.quick ? 200 : 10_000);
    // Due in 10 minutes (fast path: put + SQS send) and in a day (far path: put only).
    const fast = await measureCreates(context, count, 600_000, 'creating, fast path');
    const far = await measureCreates(context, count, 86_400_000, 'creating, far path');
    let peer: number | undefined;
    if (context.peer) {
      context.progress.phase('peer: BullMQ adds');
      peer = await runPeerCreate(await context.redis(), {
        count,
        concurrency: context.concurrency,
      });
    }
    const withPeer = peer === undefined ? {} : { peer };
    return buildResult({
      scenario: 'create',
      startedAtMs,
      quick: context.quick,
      params: { count, concurrency: context.concurrency },
      figures: [
        {
          name: 'creates/s, fast path (due in 10 min)',
          unit: '1/s',
          ours: fast,
          ...withPeer,
          target: '>= 1000',
        },
        {
          name: 'creates/s, far path (due in 1 day)',
          unit: '1/s',
          ours: far,
          ...withPeer,
          target: '>= 1000',
        },
      ],
    });
  },
};
