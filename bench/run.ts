import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createProgress } from './lib/progress.js';
import { ensureRedisInstalled, startRedisServer, type RedisServer } from './lib/redis-server.js';
import { describeMachine, writeResult, type ScenarioResult } from './lib/result.js';
import { summaryTable } from './lib/table.js';
import { burstScenario } from './scenarios/burst.js';
import { capacityScenario } from './scenarios/capacity.js';
import { costScenario } from './scenarios/cost.js';
import { createScenario } from './scenarios/create.js';
import { farScenario } from './scenarios/far.js';
import { pendingScaleScenario } from './scenarios/pending-scale.js';
import { rescheduleScenario } from './scenarios/reschedule.js';
import type { Scenario } from './scenarios/scenario.js';
import { spreadScenario } from './scenarios/spread.js';

/** Every scenario, in the order `--scenario all` runs them. */
export const SCENARIOS: readonly Scenario[] = [
  burstScenario,
  spreadScenario,
  farScenario,
  createScenario,
  pendingScaleScenario,
  costScenario,
];

/** Options of {@link runBench}, as the command line gives them. */
export interface BenchOptions {
  /** A scenario name or "all". */
  readonly scenario: string;
  readonly n?: number;
  readonly durationSeconds?: number;
  readonly quick: boolean;
  /** Create 25 per request (`createSchedules`, the peer's `addBulk`). @default false */
  readonly bulk?: boolean;
  /** @default 32 */
  readonly concurrency?: number;
  /** Dispatcher pollers of the local stack. @default the stack's default (32) */
  readonly pollers?: number;
  /** @default true */
  readonly peer?: boolean;
  /** Where JSON and SVG go. @default bench/results */
  readonly resultsDir?: string;
  /** Progress on stderr. @default true */
  readonly showProgress?: boolean;
}

const DEFAULT_RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** Scenarios run only when named: too long for `all`, or needing a feature to be useful. */
export const ON_DEMAND_SCENARIOS: readonly Scenario[] = [rescheduleScenario, capacityScenario];

const NAMED = [...SCENARIOS, ...ON_DEMAND_SCENARIOS];

function selectScenarios(name: string): readonly Scenario[] {
  if (name === 'all') return SCENARIOS;
  const found = NAMED.find((scenario) => scenario.name === name);
  if (found === undefined) {
    const known = NAMED.map((scenario) => scenario.name).join(', ');
    throw new Error(`--scenario must be one of ${known} or all; received "${name}"`);
  }
  return [found];
}

/** Runs the selected scenarios one after another, writes their results, and returns them. */
export async function runBench(options: BenchOptions): Promise<ScenarioResult[]> {
  const scenarios = selectScenarios(options.scenario);
  let redis: Promise<RedisServer> | undefined;
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      const progress = createProgress(scenario.name, options.showProgress ?? true);
      const loadAtStart = describeMachine().loadAtStart;
      const finished = await scenario.run({
        n: options.n,
        durationSeconds: options.durationSeconds,
        quick: options.quick,
        bulk: options.bulk ?? false,
        concurrency: options.concurrency ?? 32,
        pollers: options.pollers,
        peer: options.peer ?? true,
        progress,
        redis: () => {
          ensureRedisInstalled((message) => progress.note(message));
          redis ??= startRedisServer();
          return redis;
        },
      });
      const result: ScenarioResult = {
        ...finished,
        machine: { ...finished.machine, loadAtStart, loadAtEnd: finished.machine.loadAtStart },
      };
      const name = options.quick ? `${result.scenario}.quick` : result.scenario;
      const written = await writeResult(options.resultsDir ?? DEFAULT_RESULTS_DIR, name, result);
      progress.note(`wrote ${written.join(', ')}`);
      results.push(result);
    }
  } finally {
    await (await redis)?.stop();
  }
  return results;
}

function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer; received "${text}"`);
  }
  return value;
}

const USAGE = `usage: npm run bench -- --scenario <${NAMED.map((scenario) => scenario.name).join('|')}|all> [--n <count>] [--duration <seconds>] [--concurrency <n>] [--pollers <n>] [--bulk] [--quick] [--no-peer] [--results <dir>]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'all' },
      n: { type: 'string' },
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      pollers: { type: 'string' },
      quick: { type: 'boolean', default: false },
      bulk: { type: 'boolean', default: false },
      'no-peer': { type: 'boolean', default: false },
      results: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      `${USAGE}\n\n${NAMED.map((scenario) => `  ${scenario.name.padEnd(14)} ${scenario.description}`).join('\n')}`,
    );
    return;
  }
  const results = await runBench({
    scenario: values.scenario,
    n: positiveInteger('--n', values.n),
    durationSeconds: positiveInteger('--duration', values.duration),
    concurrency: positiveInteger('--concurrency', values.concurrency),
    pollers: positiveInteger('--pollers', values.pollers),
    quick: values.quick,
    bulk: values.bulk,
    peer: !values['no-peer'],
    ...(values.results === undefined ? {} : { resultsDir: values.results }),
  });
  console.log(summaryTable(results));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
