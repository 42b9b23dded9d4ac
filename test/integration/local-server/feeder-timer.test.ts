import { describe, expect, it } from 'vitest';
import { startFeederTimer } from '../../../src/local/lambda/feeder-timer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('feeder timer (local stand-in for the EventBridge rule)', () => {
  it('runs a pass at once, then on its interval, never two at a time', async () => {
    // Prepare
    let running = 0;
    let overlapped = false;
    const starts: number[] = [];
    const begun = Date.now();
    const runPass = async () => {
      running += 1;
      overlapped ||= running > 1;
      starts.push(Date.now() - begun);
      await sleep(80);
      running -= 1;
    };

    // Act
    const timer = startFeederTimer({ intervalMs: 50, runPass, onError: () => undefined });
    await Promise.all([timer.runNow(), timer.runNow()]);
    await sleep(300);
    await timer.stop();
    const passesAtStop = starts.length;
    await sleep(200);

    // Assess
    expect(starts[0]).toBeLessThan(40);
    expect(overlapped).toBe(false);
    expect(passesAtStop).toBeGreaterThanOrEqual(4);
    expect(starts).toHaveLength(passesAtStop);
  });

  it('reports a failed pass and keeps its schedule', async () => {
    // Prepare
    const errors: unknown[] = [];
    let calls = 0;
    const runPass = async () => {
      calls += 1;
      if (calls === 1) throw new Error('dynalite unreachable');
    };

    // Act
    const timer = startFeederTimer({
      intervalMs: 30,
      runPass,
      onError: (error) => errors.push(error),
    });
    await sleep(150);
    await timer.stop();

    // Assess
    expect((errors[0] as Error).message).toBe('dynalite unreachable');
    expect(calls).toBeGreaterThan(1);
  });
});
