import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { waitFor } from './e2e-helpers.js';

/*
 * `npm run smoke` against `npm start`, both as child processes started the way a user starts
 * them. The stack runs with a 10 s fast-path horizon and a feeder pass every 2 s, so the smoke's
 * far-path schedules (due 30 s ahead) go through the table and the feeder and fire within the run.
 */

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function npm(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  // Its own process group, so tear-down can end the stack and everything npm started for it.
  return spawn('npm', [...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

function smoke(args: readonly string[]): Promise<Finished> {
  return finished(npm(['run', 'smoke', '--', ...args]));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm run smoke against npm start', () => {
  let dir: string;
  let stack: ChildProcess;
  let exited: Promise<Finished>;
  let banner = () => '';
  let graphqlUrl = '';
  let realtimeUrl = '';
  let apiKey = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scheduler-smoke-'));
    stack = npm(
      [
        'start',
        '--',
        '--memory',
        '--port',
        '0',
        '--quiet',
        '--feeder-interval',
        '2',
        '--resolvers-dir',
        join(dir, 'bundles'),
      ],
      { ...process.env, FAST_PATH_HORIZON_SECONDS: '10' },
    );
    let stdout = '';
    stack.stdout?.on('data', (chunk) => (stdout += String(chunk)));
    banner = () => stdout;
    exited = finished(stack);
    await waitFor('the ready banner of npm start', () => stdout.includes('Press Ctrl+C'), 90_000);
    graphqlUrl = /GraphQL\s+(\S+)/.exec(stdout)?.[1] ?? '';
    realtimeUrl = /AppSync WS\s+(\S+)/.exec(stdout)?.[1] ?? '';
    apiKey = /API key\s+(\S+)/.exec(stdout)?.[1] ?? '';
  }, 120_000);

  afterAll(async () => {
    const group = stack.pid;
    if (group !== undefined) {
      // Ctrl+C as a terminal sends it: to the whole group (npm, tsx, the stack), each once.
      process.kill(-group, 'SIGINT');
      await exited;
      const groupAlive = () => {
        try {
          process.kill(-group, 0);
          return true;
        } catch {
          return false;
        }
      };
      const deadline = Date.now() + 15_000;
      while (groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      // Whatever of this group did not stop in time is ended, so no stack outlives the test.
      if (groupAlive()) process.kill(-group, 'SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('is the package script that runs src/smoke/main.ts', () => {
    // Assess
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['smoke']).toBe('tsx src/smoke/main.ts');
  });

  it.concurrent(
    'passes: fast path delivered, cancel held, pages listed, far path fired via the feeder',
    async () => {
      // Act
      const run = await smoke([
        '--endpoint',
        graphqlUrl,
        '--api-key',
        apiKey,
        '--fast-path-horizon',
        '10',
        '--max-wait',
        '90',
      ]);

      // Assess
      expect(run.stdout, run.stderr).toMatch(/^PASS {2}\d+ checks in [\d.]+ s$/m);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('FAIL');
      // The real-time URL is derived from the GraphQL URL as Amplify does for a custom endpoint.
      expect(run.stdout).toContain(`real-time ${realtimeUrl}`);
      for (const check of [
        'reach',
        'subscribe',
        'fast path',
        'far path',
        'cancel',
        'list',
        'deliver',
        'cancel held',
        'far fires',
        'lateness',
        'state',
      ])
        expect(run.stdout).toMatch(new RegExp(`^ {2}ok {4}${check} +\\S`, 'm'));
      expect(run.stdout).toMatch(
        /delivered 4\/4 fast, 2\/2 far · cancelled 1 · lateness p50 \d+ ms/,
      );
      expect(run.stdout).toMatch(/list +7 items|list +\d+ items, one page each/);
    },
    150_000,
  );

  it.concurrent(
    'fails with exit 1 when subscribers receive nothing (real-time endpoint mocked: acknowledges, never delivers)',
    async () => {
      // Prepare: an AppSync real-time endpoint that accepts the subscription and stays silent.
      const server: Server = createServer();
      const sockets = new WebSocketServer({ server, handleProtocols: () => 'graphql-ws' });
      sockets.on('connection', (socket) =>
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type: string; id?: string };
          if (message.type === 'connection_init')
            socket.send(
              JSON.stringify({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } }),
            );
          if (message.type === 'start')
            socket.send(JSON.stringify({ type: 'start_ack', id: message.id }));
        }),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const silent = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql/realtime`;

      // Act
      const run = await smoke([
        '--endpoint',
        graphqlUrl,
        '--api-key',
        apiKey,
        '--realtime-url',
        silent,
        '--fast-path-horizon',
        '10',
        '--max-wait',
        '30',
      ]).finally(() => {
        sockets.close();
        server.close();
      });

      // Assess
      expect(run.code, run.stdout).toBe(1);
      expect(run.stdout).toMatch(/^ {2}FAIL {2}deliver +expected: each of 4 delivered once/m);
      expect(run.stdout).toMatch(/seen: +0 of 4 delivered; missing /);
      expect(run.stdout).toMatch(
        /likely: +the dispatcher did not fire them, or publishScheduleFired/,
      );
      // The far path is due past a 30 s run: written, listed, then cancelled so nothing is left.
      expect(run.stdout).toMatch(
        /^ {2}ok {4}clean-up +cancelled what was still live \(2 far-path/m,
      );
      expect(run.stdout).toMatch(/^FAIL {2}\d+ of \d+ checks failed \(deliver.*\) in [\d.]+ s$/m);
    },
    150_000,
  );

  it('fails with exit 1 and says why on a wrong API key', async () => {
    // Act
    const run = await smoke(['--endpoint', graphqlUrl, '--api-key', 'da2-not-the-key']);

    // Assess
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toMatch(/^ {2}FAIL {2}reach +expected: a GraphQL answer/m);
    expect(run.stdout).toMatch(/seen: +HTTP 401 UnauthorizedException: The API key is not valid/);
    expect(run.stdout).toMatch(/likely: +the credentials are wrong or expired/);
    expect(run.stdout).toMatch(/^FAIL {2}1 of 1 checks failed \(reach\)/m);
  }, 60_000);

  it('exits 3 when nothing listens at the endpoint, and 2 on bad usage', async () => {
    // Prepare
    const port = await freePort();

    // Act
    const unreachable = await smoke([
      '--endpoint',
      `http://127.0.0.1:${port}/graphql`,
      '--api-key',
      apiKey,
    ]);
    const usage = await smoke(['--endpoint', graphqlUrl]);

    // Assess
    expect(unreachable.code, unreachable.stdout).toBe(3);
    expect(unreachable.stdout).toMatch(/seen: +fetch failed \(ECONNREFUSED\)/);
    expect(unreachable.stdout).toMatch(/^FAIL {2}the endpoint cannot be reached/m);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('give exactly one of --api-key, --jwt and --iam; received none');
    expect(banner()).toContain('Press Ctrl+C');
  }, 60_000);
});
