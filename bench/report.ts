import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult } from './lib/result.js';
import { summaryTable } from './lib/table.js';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** Reads every full (not --quick) result in `directory`, oldest first. */
export async function readResults(directory = RESULTS_DIR): Promise<ScenarioResult[]> {
  const names = (await readdir(directory)).filter(
    (name) => name.endsWith('.json') && !name.endsWith('.quick.json'),
  );
  const results = await Promise.all(
    names.map(
      async (name) => JSON.parse(await readFile(join(directory, name), 'utf8')) as ScenarioResult,
    ),
  );
  return results.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** One line per result: when it ran, how long, and the machine's load then. */
export function runLog(results: readonly ScenarioResult[]): string {
  return results
    .map(
      (result) =>
        `- ${result.scenario}: ${result.startedAt.slice(0, 16)}Z, ${Math.round(result.durationMs / 1000)} s, load ${result.machine.loadAtStart.join(' / ')} at start, ${(result.machine.loadAtEnd ?? []).join(' / ') || 'n/a'} at end (${result.machine.cpus} x ${result.machine.cpuModel}, ${result.machine.memoryGiB} GiB, Node ${result.machine.node})`,
    )
    .join('\n');
}

// Prints the Markdown table of the latest full results, for docs/performance.md.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = await readResults();
  console.log(`${summaryTable(results)}\n\n${runLog(results)}`);
}
