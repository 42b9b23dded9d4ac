import type { Progress } from '../lib/progress.js';
import type { RedisServer } from '../lib/redis-server.js';
import { describeMachine, sampleSeries, type Figure, type ScenarioResult } from '../lib/result.js';
import { summarize, type DeliveryCount } from '../lib/stats.js';

/** What every scenario receives from the command line and the runner. */
export interface ScenarioContext {
  /** `--n`; undefined means the scenario's default. */
  readonly n: number | undefined;
  /** `--duration` in seconds, for the spread scenario. */
  readonly durationSeconds: number | undefined;
  readonly quick: boolean;
  /** Create requests (and peer adds) in flight. */
  readonly concurrency: number;
  /**
   * `--bulk`: create through `createSchedules`, 25 per request, and the peer through `addBulk`
   * of 25, where the scenario loads through the API.
   */
  readonly bulk: boolean;
  /** Dispatcher pollers of the local stack; undefined keeps the stack's default (32). */
  readonly pollers: number | undefined;
  /** Run the BullMQ peer where the scenario has one. */
  readonly peer: boolean;
  readonly progress: Progress;
  /** Starts (once) and returns the peer's redis-server. */
  redis(): Promise<RedisServer>;
}

/** A benchmark scenario. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

/** The parts of a result a scenario computes; the rest is filled in by {@link buildResult}. */
export interface ResultParts {
  readonly scenario: string;
  readonly startedAtMs: number;
  readonly quick: boolean;
  readonly params: Readonly<Record<string, unknown>>;
  readonly figures: readonly Figure[];
  readonly samples?: Readonly<Record<string, readonly number[]>>;
  readonly delivery?: Readonly<Record<string, DeliveryCount>>;
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly notes?: readonly string[];
}

/** Assembles a result: machine, duration, lateness summaries and down-sampled samples. */
export function buildResult(parts: ResultParts, machine = describeMachine()): ScenarioResult {
  const samples = parts.samples ?? {};
  return {
    scenario: parts.scenario,
    startedAt: new Date(parts.startedAtMs).toISOString(),
    durationMs: Date.now() - parts.startedAtMs,
    quick: parts.quick,
    machine,
    params: parts.params,
    figures: parts.figures,
    lateness: Object.fromEntries(
      Object.entries(samples).map(([name, values]) => [name, summarize(values)]),
    ),
    delivery: parts.delivery ?? {},
    samples: sampleSeries(samples),
    extra: parts.extra ?? {},
    notes: parts.notes ?? [],
  };
}

/** The figures every firing scenario reports for one lateness series. */
export function latenessFigures(
  label: string,
  ours: readonly number[],
  peer: readonly number[] | undefined,
  p99Target: string | undefined,
): Figure[] {
  const mine = summarize(ours);
  const theirs = peer === undefined ? undefined : summarize(peer);
  const pick = (key: 'p50' | 'p90' | 'p99' | 'max') => ({
    name: `${label} ${key}`,
    unit: 'ms',
    ours: mine[key],
    ...(theirs === undefined ? {} : { peer: theirs[key] }),
    ...(key === 'p99' && p99Target !== undefined ? { target: p99Target } : {}),
  });
  return [pick('p50'), pick('p90'), pick('p99'), pick('max')];
}

/** Lost and duplicated figures over every channel; the target is zero for both. */
export function deliveryFigures(
  ours: readonly DeliveryCount[],
  peer: DeliveryCount | undefined,
): Figure[] {
  const sum = (counts: readonly DeliveryCount[], key: 'lost' | 'duplicated') =>
    counts.reduce((total, count) => total + count[key], 0);
  return (['lost', 'duplicated'] as const).map((key) => ({
    name: `${key} (all channels)`,
    unit: 'schedules',
    ours: sum(ours, key),
    ...(peer === undefined ? {} : { peer: peer[key] }),
    target: '= 0',
  }));
}
