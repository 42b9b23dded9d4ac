import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, runBench } from '../../bench/run.js';
import type { ScenarioResult } from '../../bench/lib/result.js';

// Every scenario with --quick, as CI runs it: checks shape and delivery, never timing.
describe('npm run bench -- --quick (smoke)', () => {
  let resultsDir: string;
  let results: ScenarioResult[];

  beforeAll(async () => {
    // Prepare
    resultsDir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    // Act
    results = await runBench({ scenario: 'all', quick: true, resultsDir, showProgress: false });
  }, 240_000);

  afterAll(async () => {
    await rm(resultsDir, { recursive: true, force: true });
  });

  it('runs every scenario once', () => {
    // Assess
    expect(results.map((result) => result.scenario.split('-')[0])).toEqual(
      SCENARIOS.map((scenario) => scenario.name.split('-')[0]),
    );
  });

  it('reports finite figures and a machine description for every scenario', () => {
    for (const result of results) {
      expect(result.figures.length, result.scenario).toBeGreaterThan(0);
      for (const figure of result.figures) {
        expect(Number.isFinite(figure.ours), `${result.scenario}: ${figure.name}`).toBe(true);
      }
      expect(result.machine.cpus).toBeGreaterThan(0);
      expect(result.quick).toBe(true);
    }
  });

  it('loses and duplicates nothing on any channel, ours or the peer', () => {
    const channels = results.flatMap((result) =>
      Object.entries(result.delivery).map(([channel, count]) => ({
        channel: `${result.scenario} ${channel}`,
        count,
      })),
    );
    expect(channels.length).toBeGreaterThan(0);
    for (const { channel, count } of channels) {
      expect({
        channel,
        lost: count.lost,
        duplicated: count.duplicated,
        unexpected: count.unexpected,
      }).toEqual({
        channel,
        lost: 0,
        duplicated: 0,
        unexpected: 0,
      });
      expect(count.received, channel).toBe(count.expected);
    }
  });

  it('writes a JSON result and a lateness chart for each firing scenario', async () => {
    for (const result of results) {
      const stored = JSON.parse(
        await readFile(join(resultsDir, `${result.scenario}.quick.json`), 'utf8'),
      ) as ScenarioResult;
      expect(stored.figures).toEqual(JSON.parse(JSON.stringify(result.figures)));
      const firing = Object.keys(result.samples).length > 0;
      expect(existsSync(join(resultsDir, `${result.scenario}.quick.svg`)), result.scenario).toBe(
        firing,
      );
    }
    const svg = await readFile(join(resultsDir, `${results[0]?.scenario ?? ''}.quick.svg`), 'utf8');
    expect(svg).toMatch(/^<svg[\s\S]*<path d="M[\s\S]*<\/svg>\n$/);
  });

  it('counts the feeder reads and prices both paths', () => {
    const pending = results.find((result) => result.scenario === 'pending-scale');
    const cost = results.find((result) => result.scenario === 'cost');
    expect(
      pending?.figures.find((figure) => figure.name.startsWith('feeder Query calls'))?.ours,
    ).toBeGreaterThan(0);
    for (const figure of cost?.figures ?? []) expect(figure.ours, figure.name).toBeGreaterThan(0);
  });
});
