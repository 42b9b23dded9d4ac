import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELP_TEXT, parseCommandLine } from '../../src/local/cli.js';
import { startLocalStack } from '../../src/local/stack.js';
import { postGraphql, waitFor } from './e2e-helpers.js';

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  readonly kill: (signal: NodeJS.Signals) => void;
  readonly exited: Promise<number | null>;
}

function run(args: readonly string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/local/main.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: Run = {
    stdout: '',
    stderr: '',
    exitCode: null,
    kill: (signal) => child.kill(signal),
    exited: new Promise((resolve) => child.on('exit', (code) => resolve((result.exitCode = code)))),
  };
  child.stdout.on('data', (chunk) => (result.stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (result.stderr += String(chunk)));
  return result;
}

describe('npm start command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scheduler-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses flags and environment, naming a malformed value', () => {
    // Act
    const command = parseCommandLine(['--port', '0', '--memory', '--pollers', '2'], {
      FEEDER_INTERVAL_SECONDS: '5',
    });

    // Assess
    expect(command).toMatchObject({
      kind: 'start',
      options: { port: 0, memory: true, pollers: 2, feederIntervalSeconds: 5 },
    });
    expect(parseCommandLine([], { PORT: '4100' })).toMatchObject({ options: { port: 4100 } });
    expect(() => parseCommandLine(['--port', 'abc'], {})).toThrow(
      '--port must be an integer; received "abc"',
    );
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help' });
    expect(HELP_TEXT).toContain('PORT');
  });

  it('starts, prints the banner, serves, and exits cleanly on SIGINT', async () => {
    // Prepare
    const child = run([
      '--memory',
      '--port',
      '0',
      '--quiet',
      '--resolvers-dir',
      join(dir, 'bundles'),
    ]);
    await waitFor('the ready banner', () => child.stdout.includes('Press Ctrl+C'), 30_000);
    const url = /GraphQL\s+(\S+)/.exec(child.stdout)?.[1] ?? '';
    const apiKey = /API key\s+(\S+)/.exec(child.stdout)?.[1] ?? '';

    // Act
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query: '{ pendingSchedules { items { id } } }' }),
    });
    const stoppingAt = Date.now();
    child.kill('SIGINT');
    const code = await child.exited;

    // Assess
    expect(response.status).toBe(200);
    expect(child.stdout).toMatch(/output queue\s+http:\/\/\S+scheduler-output/);
    expect(code).toBe(0);
    expect(child.stderr).toContain('stopped cleanly');
    expect(Date.now() - stoppingAt).toBeLessThan(10_000);
  });

  it('mints a dev token from the data directory that the stack accepts', async () => {
    // Prepare
    const dataDir = join(dir, 'data');
    const stack = await startLocalStack({ dataDir, port: 0, quiet: true });

    // Act
    const child = run(['token', 'carol', '--data-dir', dataDir]);
    await child.exited;
    const token = child.stdout.trim();
    const result = await postGraphql(
      stack,
      { authorization: token },
      '{ pendingSchedules { items { id } } }',
    );
    await stack.stop();

    // Assess
    expect(child.exitCode).toBe(0);
    expect(token.split('.')).toHaveLength(3);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });

  it('precise-scheduler schedule --file: exit 1, the summary on stdout, the bad line on stderr', async () => {
    // Prepare
    const stack = await startLocalStack({ memory: true, port: 0, quiet: true });
    const file = join(dir, 'items.jsonl');
    await writeFile(
      file,
      '{"delaySeconds":3600,"payload":{"n":1}}\n{"delaySeconds":3600,"payload":{"n":2},"colour":"red"}\n',
    );
    const args = [
      'schedule',
      '--file',
      file,
      '--endpoint',
      stack.graphqlUrl,
      '--api-key',
      stack.apiKey,
    ];

    // Act
    const child = spawn(process.execPath, ['bin/precise-scheduler.js', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    await stack.stop();

    // Assess
    expect(code).toBe(1);
    expect(stdout).toBe('created 1, failed 1\n');
    expect(stderr).toContain('line 2: ValidationError: unknown field "colour"');
  });
});
