import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { downsample, type DeliveryCount, type LatenessSummary } from './stats.js';
import { renderCdfSvg } from './svg-chart.js';

/** One headline number of a scenario, with the peer's figure beside it when there is one. */
export interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly ours: number;
  readonly peer?: number;
  /** The target, e.g. "<= 200" or ">= 1000"; undefined when none applies. */
  readonly target?: string;
}

/** The machine a result was measured on. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** 1, 5 and 15 minute load averages when the scenario started. */
  readonly loadAtStart: readonly number[];
  /** The same when it ended. */
  readonly loadAtEnd?: readonly number[];
}

/** Everything one scenario run measured; written as JSON to bench/results/. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly params: Readonly<Record<string, unknown>>;
  readonly figures: readonly Figure[];
  /** Lateness by series, e.g. "ours: subscription". */
  readonly lateness: Readonly<Record<string, LatenessSummary>>;
  /** Delivery accounting by channel. */
  readonly delivery: Readonly<Record<string, DeliveryCount>>;
  /** Ascending lateness samples by series, down-sampled to at most 1,000 each. */
  readonly samples: Readonly<Record<string, readonly number[]>>;
  /** Extra measurements particular to the scenario (call counts, costs). */
  readonly extra: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
}

/** Describes this machine and its load right now. */
export function describeMachine(): MachineInfo {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpus: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** Ratio ours/peer to three significant digits; undefined without a usable peer figure. */
export function ratioOf(figure: Figure): number | undefined {
  if (figure.peer === undefined || figure.peer === 0 || !Number.isFinite(figure.peer)) {
    return undefined;
  }
  return Number((figure.ours / figure.peer).toPrecision(3));
}

/** Sorted, down-sampled copies of raw lateness samples, ready for {@link ScenarioResult}. */
export function sampleSeries(
  raw: Readonly<Record<string, readonly number[]>>,
): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(raw).map(([name, values]) => [
      name,
      downsample(
        [...values].sort((a, b) => a - b),
        1000,
      ),
    ]),
  );
}

/**
 * Writes `<name>.json` and `<name>.svg` (the lateness CDF, when there are samples) into
 * `directory`; returns the paths written.
 */
export async function writeResult(
  directory: string,
  name: string,
  result: ScenarioResult,
): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const jsonPath = join(directory, `${name}.json`);
  await writeFile(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  const series = Object.entries(result.samples).map(([seriesName, samples]) => ({
    name: seriesName,
    samples,
  }));
  if (series.every((line) => line.samples.length === 0)) return [jsonPath];
  const svgPath = join(directory, `${name}.svg`);
  const title = `${name}: lateness CDF (${result.machine.cpus} cores, ${result.startedAt.slice(0, 16)}Z)`;
  await writeFile(svgPath, renderCdfSvg(title, series));
  return [jsonPath, svgPath];
}
