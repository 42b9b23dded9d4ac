import { startBenchStack } from '../lib/bench-stack.js';
import { runPeerCreate } from '../lib/bullmq-peer.js';
import { createMany } from '../lib/create-many.js';
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
    return await createMany(bench.stack, {
      count,
      concurrency: context.concurrency,
      bulk: context.bulk,
      dueAtMs: () => Date.now() + delayMs,
      onCreated: () => {
        done += 1;
        context.progress.update(done, count);
      },
    });
  } finally {
    await bench.close();
  }
}

/** Schedules accepted per second through GraphQL with `--concurrency` requests in flight. */
export const createScenario: Scenario = {
  name: 'create',
  description:
    'createSchedule throughput through GraphQL, fast path and far path (target >= 1,000/s); --bulk: createSchedules of 25 against addBulk (target >= 5,000/s)',
  async run(context) {
    const startedAtMs = Date.now();
    const count = context.n ?? (context.quick ? 200 : 10_000);
    const how = context.bulk ? 'createSchedules of 25' : 'createSchedule';
    // Due in 10 minutes (fast path: put + SQS send) and in a day (far path: put only).
    const fast = await measureCreates(context, count, 600_000, `${how}, fast path`);
    const far = await measureCreates(context, count, 86_400_000, `${how}, far path`);
    let peer: number | undefined;
    if (context.peer) {
      context.progress.phase(`peer: BullMQ ${context.bulk ? 'addBulk of 25' : 'adds'}`);
      peer = await runPeerCreate(await context.redis(), {
        count,
        concurrency: context.concurrency,
        bulk: context.bulk,
      });
    }
    const withPeer = peer === undefined ? {} : { peer };
    const suffix = context.bulk ? ', 25 per request' : '';
    // Issue 17's targets: 5,000/s through createSchedules, 1,000/s one per request.
    const target = context.bulk ? '>= 5000' : '>= 1000';
    return buildResult({
      scenario: context.bulk ? 'create-bulk' : 'create',
      startedAtMs,
      quick: context.quick,
      params: { count, concurrency: context.concurrency, bulk: context.bulk },
      figures: [
        {
          name: `creates/s, fast path (due in 10 min)${suffix}`,
          unit: '1/s',
          ours: fast,
          ...withPeer,
          target,
        },
        {
          name: `creates/s, far path (due in 1 day)${suffix}`,
          unit: '1/s',
          ours: far,
          ...withPeer,
          target,
        },
      ],
      notes: context.bulk
        ? [
            `ours: createSchedules of 25 per request, ${context.concurrency} requests in flight; peer: addBulk of 25, ${context.concurrency} in flight`,
          ]
        : [],
    });
  },
};
