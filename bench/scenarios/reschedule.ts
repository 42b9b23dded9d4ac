import { startBenchStack, type BenchStack } from '../lib/bench-stack.js';
import { estimateCreateRate, leadMsFor, warmUp } from '../lib/firing-run.js';
import type { Figure } from '../lib/result.js';
import type { RescheduleVerdict } from '../lib/reschedule-judge.js';
import {
  estimateRescheduleRate,
  runOursReschedule,
  runPeerReschedule,
  type RescheduleRun,
  type RescheduleRunOptions,
} from '../lib/reschedule-run.js';
import { buildResult, latenessFigures, type Scenario, type ScenarioContext } from './scenario.js';

/** How far the near variant moves each schedule. */
const MOVE_MS = 5000;
/** Adds and moves a second BullMQ is assumed to sustain at least, for its lead time. */
const PEER_MIN_OPS_PER_SECOND = 500;
/** Where the far variant's schedules start: past the fast-path horizon (900 s). */
const FAR_OLD_DUE_MS = 3_600_000;

/** A variant: where the schedules are due before and after the move, from a start time. */
interface Variant {
  readonly label: string;
  readonly times: (
    startMs: number,
    leadMs: number,
  ) => Pick<RescheduleRunOptions, 'oldDueMs' | 'newDueMs'>;
}

/**
 * The two variants for a run of `count` whose first old due time is `leadMs` after its start:
 * fast path to fast path (old + 5 s), and far path (due in an hour) to fast path (the same new
 * times as the first).
 */
function variants(count: number, windowMs: number): Variant[] {
  const offset = (index: number) => Math.floor((index * windowMs) / count);
  const newDueMs = (startMs: number, leadMs: number) => (index: number) =>
    startMs + leadMs + offset(index) + MOVE_MS;
  return [
    {
      label: 'fast to fast (+5 s)',
      times: (startMs, leadMs) => ({
        oldDueMs: (index) => startMs + leadMs + offset(index),
        newDueMs: newDueMs(startMs, leadMs),
      }),
    },
    {
      label: 'far to fast',
      times: (startMs, leadMs) => ({
        oldDueMs: (index) => startMs + FAR_OLD_DUE_MS + offset(index),
        newDueMs: newDueMs(startMs, leadMs),
      }),
    },
  ];
}

function verdictFigures(
  prefix: string,
  ours: RescheduleVerdict,
  peer: RescheduleVerdict | undefined,
): Figure[] {
  const pick = (key: keyof RescheduleVerdict, name: string, target: string): Figure => ({
    name: `${prefix}: ${name}`,
    unit: 'schedules',
    ours: ours[key],
    ...(peer === undefined ? {} : { peer: peer[key] }),
    target,
  });
  return [
    pick('firedAtOld', 'fired at the old time', '= 0'),
    pick('firedAtNew', 'fired at the new time', `= ${ours.moved}`),
    pick('lost', 'lost', '= 0'),
    pick('duplicated', 'duplicated', '= 0'),
  ];
}

function worst(verdicts: Readonly<Record<string, RescheduleVerdict>>): RescheduleVerdict {
  const all = Object.values(verdicts);
  const max = (key: keyof RescheduleVerdict) => Math.max(...all.map((verdict) => verdict[key]));
  return {
    moved: max('moved'),
    firedAtOld: max('firedAtOld'),
    firedAtNew: Math.min(...all.map((verdict) => verdict.firedAtNew)),
    lost: max('lost'),
    duplicated: max('duplicated'),
  };
}

function variantFigures(label: string, ours: RescheduleRun, peer: RescheduleRun | undefined) {
  return [
    ...verdictFigures(
      `${label}, worse channel`,
      worst(ours.verdicts),
      peer === undefined ? undefined : worst(peer.verdicts),
    ),
    ...latenessFigures(
      `${label}: lateness vs new time, subscription`,
      ours.lateness['ours: subscription'] ?? [],
      peer?.lateness['peer: BullMQ worker'],
      undefined,
    ),
    ...latenessFigures(
      `${label}: lateness vs new time, queue firedAt`,
      ours.lateness['ours: output queue (firedAt)'] ?? [],
      undefined,
      undefined,
    ).filter((figure) => figure.name.endsWith('p99')),
    {
      name: `${label}: reschedules/s`,
      unit: '1/s',
      ours: ours.reschedulesPerSecond,
      ...(peer === undefined ? {} : { peer: peer.reschedulesPerSecond }),
    },
  ];
}

async function runVariants(context: ScenarioContext, bench: BenchStack, count: number) {
  await warmUp(bench);
  const rate = await estimateCreateRate(bench, context.concurrency, context.bulk);
  const moveRate = await estimateRescheduleRate(bench, context.concurrency);
  // Creating, then moving, must end before the first old due time.
  const leadMs = Math.max(
    context.quick ? 5000 : 20_000,
    leadMsFor(count, rate) + leadMsFor(count, moveRate),
  );
  const windowMs = context.quick ? 2000 : 10_000;
  const runs: { variant: Variant; ours: RescheduleRun; peer?: RescheduleRun }[] = [];
  // BullMQ adds and moves thousands a second: its own lead, at least the quick minimum.
  const peerLeadMs = Math.max(5000, leadMsFor(2 * count, PEER_MIN_OPS_PER_SECOND));
  for (const variant of variants(count, windowMs)) {
    const options = {
      count,
      concurrency: context.concurrency,
      bulk: context.bulk,
      progress: context.progress,
    };
    context.progress.note(`variant ${variant.label}`);
    const ours = await runOursReschedule(bench, {
      ...options,
      ...variant.times(Date.now(), leadMs),
    });
    let peer: RescheduleRun | undefined;
    if (context.peer) {
      const redis = await context.redis();
      peer = await runPeerReschedule(redis, {
        ...options,
        ...variant.times(Date.now(), peerLeadMs),
      });
    }
    runs.push({ variant, ours, ...(peer === undefined ? {} : { peer }) });
  }
  return { runs, leadMs, peerLeadMs, windowMs };
}

/** Schedules created, then each moved with rescheduleSchedule; judged by what fired when. */
export const rescheduleScenario: Scenario = {
  name: 'reschedule',
  description:
    'N schedules created then each moved with rescheduleSchedule (+5 s, and far path to fast path); BullMQ peer: changeDelay',
  async run(context) {
    const startedAtMs = Date.now();
    const count = context.n ?? (context.quick ? 30 : 1000);
    const bench = await startBenchStack({ pollers: context.pollers });
    try {
      const { runs, leadMs, peerLeadMs, windowMs } = await runVariants(context, bench, count);
      const key = (label: string) => (label.startsWith('far') ? 'far' : 'near');
      return buildResult({
        scenario: `reschedule-${count}`,
        startedAtMs,
        quick: context.quick,
        params: {
          count,
          concurrency: context.concurrency,
          bulk: context.bulk,
          leadMs,
          peerLeadMs,
          windowMs,
          moveMs: MOVE_MS,
          farOldDueMs: FAR_OLD_DUE_MS,
          pollers: context.pollers ?? 'default (32)',
          peer: context.peer,
        },
        figures: runs.flatMap(({ variant, ours, peer }) =>
          variantFigures(variant.label, ours, peer),
        ),
        samples: Object.fromEntries(
          runs.flatMap(({ variant, ours, peer }) =>
            Object.entries({ ...ours.lateness, ...peer?.lateness }).map(([series, values]) => [
              `${key(variant.label)}, ${series}`,
              values,
            ]),
          ),
        ),
        delivery: Object.fromEntries(
          runs.flatMap(({ variant, ours, peer }) =>
            Object.entries({ ...ours.delivery, ...peer?.delivery }).map(([channel, counts]) => [
              `${key(variant.label)}, ${channel}`,
              counts,
            ]),
          ),
        ),
        extra: Object.fromEntries(
          runs.map(({ variant, ours, peer }) => [
            variant.label,
            {
              ours: {
                verdicts: ours.verdicts,
                refused: ours.refused,
                movedAfterNewDue: ours.movedAfterNewDue,
              },
              ...(peer === undefined
                ? {}
                : {
                    peer: {
                      verdicts: peer.verdicts,
                      refused: peer.refused,
                      movedAfterNewDue: peer.movedAfterNewDue,
                    },
                  }),
            },
          ]),
        ),
        notes: [
          'fired at the old time: ours counts deliveries of the old id; BullMQ keeps the id, so a processing nearer the old due time than the new one counts',
          "the far variant's old times (an hour out) are never reached during the run: only an early delivery of the old id would show",
          ...runs.flatMap(({ variant, ours, peer }) =>
            [ours, peer].flatMap((run) =>
              run === undefined || Object.keys(run.refused).length === 0
                ? []
                : [
                    `${variant.label}: refused reschedules ${JSON.stringify(run.refused)} (left out)`,
                  ],
            ),
          ),
        ],
      });
    } finally {
      await bench.close();
    }
  },
};
