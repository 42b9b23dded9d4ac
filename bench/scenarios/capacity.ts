import { startBenchStack, type BenchStack } from '../lib/bench-stack.js';
import { runPeerBurst } from '../lib/bullmq-peer.js';
import {
  CAPACITY_P99_LIMIT_MS,
  capacityRates,
  highestPassingRate,
  stepUntilFailure,
  type CapacityStep,
} from '../lib/capacity-steps.js';
import { estimateCreateRate, leadMsFor, runFiring, warmUp } from '../lib/firing-run.js';
import type { Figure } from '../lib/result.js';
import { ApiError, createSchedules } from '../lib/scheduler-api.js';
import { summarize, type DeliveryCount } from '../lib/stats.js';
import { buildResult, type Scenario, type ScenarioContext } from './scenario.js';

/** Adds per second the peer's addBulk is assumed to sustain at least, for its lead time. */
const PEER_MIN_ADDS_PER_SECOND = 5000;

/** A measured step with what it delivered, per channel, and its lateness samples. */
interface StepRecord extends CapacityStep {
  readonly delivery: Readonly<Record<string, DeliveryCount>>;
  readonly samples: readonly number[];
  readonly queueFiredAtP99?: number;
}

/** Whether `createSchedules` is served: the load generator uses it when it is. */
async function bulkAvailable(bench: BenchStack): Promise<boolean> {
  try {
    await createSchedules(bench.stack, [
      { dueAt: new Date(Date.now() + 86_400_000), payload: { probe: 'bulk' } },
    ]);
    return true;
  } catch (error) {
    if (error instanceof ApiError) return false;
    throw error;
  }
}

/** Due times `rate` a second from `firstDueMs`, evenly spaced. */
const spacing = (firstDueMs: number, rate: number) => (index: number) =>
  firstDueMs + Math.floor((index * 1000) / rate);

async function measureOurs(context: ScenarioContext, rates: number[], seconds: number) {
  const bench = await startBenchStack({ pollers: context.pollers });
  try {
    await warmUp(bench);
    const bulk = await bulkAvailable(bench);
    let createRate = await estimateCreateRate(bench, context.concurrency, bulk);
    const steps = await stepUntilFailure(rates, async (rate): Promise<StepRecord> => {
      const count = Math.round(rate * seconds);
      context.progress.note(`ours: ${rate}/s for ${seconds} s (${count} schedules, bulk ${bulk})`);
      // Every schedule is created before the first is due, so creating never competes with firing.
      const firstDue = Date.now() + leadMsFor(count, createRate);
      const run = await runFiring(bench, {
        count,
        concurrency: context.concurrency,
        bulk,
        dueAtMs: spacing(firstDue, rate),
        graceMs: 30_000,
        progress: context.progress,
      });
      createRate = Math.min(createRate, run.created / run.createSeconds);
      return {
        rate,
        count,
        p99: summarize(run.lateness.subscription).p99,
        lost: Math.max(run.delivery.subscription.lost, run.delivery.queue.lost),
        createdAfterDue: run.createdAfterDue,
        delivery: { subscription: run.delivery.subscription, 'output queue': run.delivery.queue },
        samples: run.lateness.subscription,
        queueFiredAtP99: summarize(run.lateness.queueFiredAt).p99,
      };
    });
    return { steps, bulk };
  } finally {
    await bench.close();
  }
}

async function measurePeer(context: ScenarioContext, rates: number[], seconds: number) {
  const redis = await context.redis();
  return stepUntilFailure(rates, async (rate): Promise<StepRecord> => {
    const count = Math.round(rate * seconds);
    context.progress.note(`peer: ${rate}/s for ${seconds} s (${count} jobs, addBulk of 25)`);
    const firstDue = Date.now() + leadMsFor(count, PEER_MIN_ADDS_PER_SECOND);
    const peer = await runPeerBurst(redis, {
      count,
      concurrency: context.concurrency,
      bulk: true,
      dueAtMs: spacing(firstDue, rate),
      timeoutMs: 30_000,
    });
    return {
      rate,
      count,
      p99: summarize(peer.lateness).p99,
      lost: peer.delivery.lost,
      createdAfterDue: peer.addedByMs > firstDue ? 1 : 0,
      delivery: { 'peer: BullMQ': peer.delivery },
      samples: peer.lateness,
    };
  });
}

function stepFigures(
  ours: readonly StepRecord[],
  peer: readonly StepRecord[] | undefined,
): Figure[] {
  const rates = [...new Set([...ours, ...(peer ?? [])].map((step) => step.rate))].sort(
    (a, b) => a - b,
  );
  return rates.map((rate) => {
    const mine = ours.find((step) => step.rate === rate);
    const theirs = peer?.find((step) => step.rate === rate);
    return {
      name: `subscription p99 at ${rate}/s`,
      unit: 'ms',
      // A rate one side never reached (it stopped earlier) is NaN on that side.
      ours: mine?.p99 ?? Number.NaN,
      ...(peer === undefined ? {} : { peer: theirs?.p99 ?? Number.NaN }),
      target: `<= ${CAPACITY_P99_LIMIT_MS}`,
    };
  });
}

/** The highest steady firing rate whose subscription p99 stays within 200 ms, stepped up. */
export const capacityScenario: Scenario = {
  name: 'capacity',
  description: `highest steady firing rate with subscription p99 <= ${CAPACITY_P99_LIMIT_MS} ms over --duration (default 60 s), doubling from 50/s up to --n (default 12,800/s)`,
  async run(context) {
    const startedAtMs = Date.now();
    const seconds = context.durationSeconds ?? (context.quick ? 2 : 60);
    const rates = capacityRates(
      context.quick ? 20 : 50,
      context.n ?? (context.quick ? 40 : 12_800),
    );
    const ours = await measureOurs(context, rates, seconds);
    const peer = context.peer ? await measurePeer(context, rates, seconds) : undefined;
    const oursBest = highestPassingRate(ours.steps);
    const peerBest = peer === undefined ? undefined : highestPassingRate(peer);
    const series = (side: string, steps: readonly StepRecord[]) =>
      steps.map((step) => [`${side}: ${step.rate}/s`, step.samples] as const);
    const channels = (side: string, steps: readonly StepRecord[]) =>
      steps.flatMap((step) =>
        Object.entries(step.delivery).map(
          ([channel, count]) => [`${side} ${step.rate}/s, ${channel}`, count] as const,
        ),
      );
    const summary = (steps: readonly StepRecord[]) =>
      steps.map(({ samples: _samples, delivery, ...step }) => ({
        ...step,
        deliveredOnEveryChannel: Object.values(delivery).every((count) => count.lost === 0),
      }));
    return buildResult({
      scenario: `capacity-${seconds}s`,
      startedAtMs,
      quick: context.quick,
      params: {
        durationSeconds: seconds,
        rates,
        p99LimitMs: CAPACITY_P99_LIMIT_MS,
        oursCreatesThrough: ours.bulk ? 'createSchedules of 25' : 'createSchedule',
        peerAddsThrough: 'addBulk of 25',
        concurrency: context.concurrency,
        pollers: context.pollers ?? 'default (32)',
      },
      figures: [
        {
          name: `highest rate with subscription p99 <= ${CAPACITY_P99_LIMIT_MS} ms for ${seconds} s`,
          unit: '1/s',
          ours: oursBest,
          ...(peerBest === undefined ? {} : { peer: peerBest }),
        },
        ...stepFigures(ours.steps, peer),
      ],
      samples: Object.fromEntries([...series('ours', ours.steps), ...series('peer', peer ?? [])]),
      delivery: Object.fromEntries([
        ...channels('ours', ours.steps),
        ...channels('peer', peer ?? []),
      ]),
      extra: { ours: summary(ours.steps), ...(peer === undefined ? {} : { peer: summary(peer) }) },
      notes: [
        'a step passes when subscription (ours) or worker (peer) lateness p99 is within the limit, nothing is lost, and every schedule was created before its due time; stepping stops at the first failure',
        ...(oursBest === rates[rates.length - 1]
          ? ['ours passed every rate tried: raise --n']
          : []),
        ...(peerBest === rates[rates.length - 1]
          ? ['the peer passed every rate tried: raise --n']
          : []),
      ],
    });
  },
};
