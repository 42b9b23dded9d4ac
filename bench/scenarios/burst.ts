import { startBenchStack } from '../lib/bench-stack.js';
import { runPeerBurst } from '../lib/bullmq-peer.js';
import { estimateCreateRate, leadMsFor, runFiring, warmUp } from '../lib/firing-run.js';
import {
  buildResult,
  deliveryFigures,
  latenessFigures,
  type Scenario,
  type ScenarioContext,
} from './scenario.js';

async function runOurs(context: ScenarioContext, count: number) {
  const bench = await startBenchStack({ pollers: context.pollers });
  try {
    await warmUp(bench);
    const rate = await estimateCreateRate(bench, context.concurrency, context.bulk);
    const leadMs = leadMsFor(count, rate);
    const dueAtMs = Date.now() + leadMs;
    const run = await runFiring(bench, {
      count,
      concurrency: context.concurrency,
      bulk: context.bulk,
      dueAtMs: () => dueAtMs,
      graceMs: 30_000,
      progress: context.progress,
    });
    return { ...run, leadMs };
  } finally {
    await bench.close();
  }
}

/** Adds per second the peer is assumed to sustain at least, to give it its own lead time. */
const PEER_MIN_ADDS_PER_SECOND = 1000;

async function runPeer(context: ScenarioContext, count: number) {
  if (!context.peer) return undefined;
  context.progress.phase(
    `peer: BullMQ delayed jobs on redis-server${context.bulk ? ', addBulk of 25' : ''}`,
  );
  const redis = await context.redis();
  const dueAtMs = Date.now() + leadMsFor(count, PEER_MIN_ADDS_PER_SECOND);
  return runPeerBurst(redis, {
    count,
    concurrency: context.concurrency,
    bulk: context.bulk,
    dueAtMs: () => dueAtMs,
    timeoutMs: 30_000,
  });
}

/** N schedules all due in the same millisecond. */
export const burstScenario: Scenario = {
  name: 'burst',
  description:
    'N schedules due in the same second (targets: 1,000 p99 <= 200 ms; 10,000 p99 <= 2 s)',
  async run(context) {
    const startedAtMs = Date.now();
    const count = context.n ?? (context.quick ? 50 : 1000);
    const ours = await runOurs(context, count);
    const peer = await runPeer(context, count);
    const target = count <= 1000 ? '<= 200' : count <= 10_000 ? '<= 2000' : undefined;
    return buildResult({
      scenario: `burst-${count}${context.bulk ? '-bulk' : ''}`,
      startedAtMs,
      quick: context.quick,
      params: {
        pollers: context.pollers ?? 'default (32)',
        count,
        concurrency: context.concurrency,
        bulk: context.bulk,
        leadMs: ours.leadMs,
        peer: context.peer,
      },
      figures: [
        ...latenessFigures(
          'lateness, subscription',
          ours.lateness.subscription,
          peer?.lateness,
          target,
        ),
        ...latenessFigures(
          'lateness, queue firedAt',
          ours.lateness.queueFiredAt,
          undefined,
          undefined,
        ).filter((figure) => figure.name.endsWith('p99')),
        ...deliveryFigures([ours.delivery.subscription, ours.delivery.queue], peer?.delivery),
        {
          name: `creates/s while loading the burst${context.bulk ? ', 25 per request' : ''}`,
          unit: '1/s',
          ours: ours.created / ours.createSeconds,
          ...(peer === undefined ? {} : { peer: peer.addsPerSecond }),
        },
      ],
      samples: {
        'ours: subscription': ours.lateness.subscription,
        'ours: output queue (firedAt)': ours.lateness.queueFiredAt,
        'ours: output queue (received)': ours.lateness.queueReceived,
        ...(peer === undefined ? {} : { 'peer: BullMQ worker': peer.lateness }),
      },
      delivery: {
        subscription: ours.delivery.subscription,
        'output queue': ours.delivery.queue,
        ...(peer === undefined ? {} : { 'peer: BullMQ': peer.delivery }),
      },
      extra: {
        createdAfterDue: ours.createdAfterDue,
        httpCalls: ours.httpCalls,
        answerTimes: ours.answerTimes,
        sdkCalls: ours.sdkCalls,
      },
      notes:
        ours.createdAfterDue > 0
          ? [
              `${ours.createdAfterDue} schedules were created after their due time: left out of the lateness figures, counted for lost and duplicated`,
            ]
          : [],
    });
  },
};
