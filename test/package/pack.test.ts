/*
 * The package as a user gets it: `npm pack` of the root and of the workspace package, installed
 * into a fresh project outside the repository, then used from plain JavaScript there: a CDK app
 * with the construct under cdk-nag, `npx precise-scheduler dev`, and the installed client. No
 * mocks: real npm, real CDK synthesis, the real local stack over HTTP and WebSocket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  realpath,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PACKAGE_LIMITS,
  cleanEnv,
  readPackResult,
  run,
  waitForText,
  type PackResult,
} from './pack-helpers.js';

const REPO = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const USER_FILES = fileURLToPath(new URL('./user-project/', import.meta.url));
const LOCAL_PACKAGE = 'packages/appsync-local';

const timings: Record<string, number> = {};
async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[phase] = Date.now() - started;
  }
}

/** The repository's pinned versions of the construct's peers, so the install hits the cache. */
async function peerVersions(): Promise<Record<string, string>> {
  const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  return Object.fromEntries(
    ['aws-cdk-lib', 'constructs', 'cdk-nag'].map((name) => [name, pkg.devDependencies[name] ?? '']),
  );
}

describe('the packed package, installed in a project outside the repository', () => {
  let project: string;
  let root: PackResult;
  let local: PackResult;
  let dev: ChildProcess | undefined;

  beforeAll(async () => {
    project = await realpath(await mkdtemp(path.join(tmpdir(), 'precise-scheduler-user-')));
    const tarballs = path.join(project, 'tarballs');
    await mkdir(tarballs);
    // The root's prepack builds everything (the workspace package too), so the workspace
    // package is packed after it, from that build.
    root = await timed('npm pack (with the build)', async () =>
      readPackResult(await run('npm', ['pack', '--json', '--pack-destination', tarballs], REPO)),
    );
    local = await timed('npm pack (workspace)', async () =>
      readPackResult(
        await run(
          'npm',
          [
            'pack',
            '--json',
            '--ignore-scripts',
            '-w',
            LOCAL_PACKAGE,
            '--pack-destination',
            tarballs,
          ],
          REPO,
        ),
      ),
    );
    const manifest = {
      name: 'user-app',
      private: true,
      type: 'module',
      dependencies: {
        'precise-scheduler': `file:tarballs/${root.filename}`,
        '@precise-scheduler/appsync-local': `file:tarballs/${local.filename}`,
        ...(await peerVersions()),
      },
    };
    await writeFile(path.join(project, 'package.json'), JSON.stringify(manifest, null, 2));
    for (const file of await readdir(USER_FILES)) {
      await copyFile(path.join(USER_FILES, file), path.join(project, file));
    }
    await timed('npm install in the user project', () =>
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], project),
    );
  }, 900_000);

  afterAll(async () => {
    if (dev?.pid !== undefined && dev.exitCode === null && dev.signalCode === null) {
      process.kill(-dev.pid, 'SIGKILL');
    }
    console.log(
      `package timings on Node.js ${process.version}:\n${Object.entries(timings)
        .map(([phase, ms]) => `  ${phase.padEnd(34)} ${(ms / 1000).toFixed(1)} s`)
        .join('\n')}`,
    );
    if (project !== undefined) await rm(project, { recursive: true, force: true });
  });

  it('ships a small tarball: compiled code, assets, bin and docs, no tests, bench or sources', () => {
    // Assess
    for (const pack of [root, local]) {
      console.log(
        `${pack.filename}: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(0)} kB packed, ${(pack.unpackedSize / 1024).toFixed(0)} kB unpacked`,
      );
      const unexpected = pack.files.filter(
        (file) =>
          /^(test|bench|src|scripts|examples|fixtures|coverage|\.build)\//.test(file) ||
          /(^|\/)(test|tests|fixtures|__tests__)\//.test(file) ||
          /\.test\.(js|ts|d\.ts|js\.map)$/.test(file) ||
          /\.tsbuildinfo$/.test(file),
      );
      expect(unexpected).toEqual([]);
    }
    expect(root.entryCount).toBeLessThan(PACKAGE_LIMITS.root.files);
    expect(root.size).toBeLessThan(PACKAGE_LIMITS.root.bytes);
    expect(local.entryCount).toBeLessThan(PACKAGE_LIMITS.local.files);
    expect(local.size).toBeLessThan(PACKAGE_LIMITS.local.bytes);
    expect(root.files).toEqual(
      expect.arrayContaining([
        'bin/precise-scheduler.js',
        'dist/infra/index.js',
        'dist/infra/index.d.ts',
        'dist/src/client/index.js',
        'dist/src/client/index.d.ts',
        'dist/src/client/index.js.map',
        'dist/src/local/index.d.ts',
        'dist/assets/schema.graphql',
        'dist/assets/resolvers/manifest.json',
        'dist/assets/functions/dispatcher/index.mjs',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
      ]),
    );
  });

  it('installs as copies that lead nowhere back into the repository, with every entry point', async () => {
    // Prepare
    const installed = path.join(project, 'node_modules', 'precise-scheduler');
    const probe = `
      const entries = {};
      for (const name of ['precise-scheduler', 'precise-scheduler/client', 'precise-scheduler/local']) {
        entries[name] = { url: import.meta.resolve(name), exports: Object.keys(await import(name)).sort() };
      }
      entries.schema = import.meta.resolve('precise-scheduler/schema.graphql');
      console.log(JSON.stringify(entries));`;

    // Act
    const resolved = await run(process.execPath, ['--input-type=module', '-e', probe], project);

    // Assess
    const entries = JSON.parse(resolved.stdout) as Record<
      string,
      { url: string; exports: string[] }
    > & { schema: string };
    expect((await lstat(installed)).isSymbolicLink()).toBe(false);
    expect(resolved.stdout).not.toContain(REPO);
    expect(entries['precise-scheduler/client']?.url).toBe(
      `file://${path.join(installed, 'dist/src/client/index.js')}`,
    );
    expect(entries['precise-scheduler']?.exports).toContain('PreciseScheduler');
    expect(entries['precise-scheduler/client']?.exports).toContain('createSchedulerClient');
    expect(entries['precise-scheduler/local']?.exports).toContain('startLocalStack');
    expect(entries.schema).toBe(`file://${path.join(installed, 'dist/assets/schema.graphql')}`);
    // The installed command runs compiled JavaScript: the TypeScript runner is not even there.
    expect(existsSync(path.join(project, 'node_modules', 'tsx'))).toBe(false);
  });

  it('synthesizes a user CDK app with PreciseScheduler, clean under cdk-nag', async () => {
    // Act
    const synth = await timed('cdk synth with cdk-nag', () =>
      run(process.execPath, ['cdk-app.mjs', 'cdk.out'], project),
    );

    // Assess
    expect(JSON.parse(synth.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({
      stack: 'UserApp',
      nag: 'success',
    });
    const template = await readFile(path.join(project, 'cdk.out', 'UserApp.template.json'), 'utf8');
    const types = Object.values(
      (JSON.parse(template) as { Resources: Record<string, { Type: string }> }).Resources,
    ).map((resource) => resource.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::AppSync::GraphQLApi',
        'AWS::DynamoDB::Table',
        'AWS::Lambda::Function',
        'AWS::SQS::Queue',
      ]),
    );
    // Lambda code and resolver code come from the installed package, not from the repository.
    const assembly = (await readdir(path.join(project, 'cdk.out'))).join('\n');
    expect(assembly).toMatch(/asset\./);
    expect(template).not.toContain(REPO);
  });

  it('runs npx precise-scheduler dev and serves the installed client: create, watch, fire, cancel', async () => {
    // Prepare
    const started = Date.now();
    dev = spawn('npx', ['--no', 'precise-scheduler', 'dev', '--memory', '--port', '0'], {
      cwd: project,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const output = await waitForText(dev, 'Press Ctrl+C', 120_000);
    timings['npx precise-scheduler dev: ready'] = Date.now() - started;
    const endpoint = /GraphQL\s+(\S+)/.exec(output.stdout)?.[1] ?? '';
    const apiKey = /API key\s+(\S+)/.exec(output.stdout)?.[1] ?? '';
    const consoleUrl = /console\s+(\S+)/.exec(output.stdout)?.[1] ?? '';

    // Act
    const page = await fetch(consoleUrl);
    const pageText = await page.text();
    const driven = await timed('client: create, watch, fire, cancel', () =>
      run(process.execPath, ['drive-client.mjs', endpoint, apiKey], project),
    );
    process.kill(-(dev.pid ?? 0), 'SIGINT');
    const exit = await new Promise<string>((resolve) => {
      const describe = () => `${dev?.exitCode ?? dev?.signalCode}`;
      if (dev?.exitCode !== null || dev.signalCode !== null) resolve(describe());
      else dev.once('exit', () => resolve(describe()));
    });

    // Assess
    expect(JSON.parse(driven.stdout.trim())).toMatchObject({
      pendingBefore: true,
      cancelledStatus: 'CANCELLED',
      firedPayload: { order: 42, note: 'fire me' },
      statusAfterFiring: 'FIRED',
      cancelAfterFiring: 'AlreadyFiredError',
    });
    expect(output.stdout).toContain('npx precise-scheduler dev token alice');
    // The console's static files ship beside the compiled code that serves them.
    expect(page.status).toBe(200);
    expect(pageText).toMatch(/^<!doctype html>/i);
    // The stack drains and exits 0; npx itself may end by the same Ctrl+C.
    expect(output.stderr).toContain('stopped cleanly');
    expect(['0', 'SIGINT']).toContain(exit);
    // A supported Node.js (22 or newer) starts without a single warning.
    if (Number(process.versions.node.split('.')[0]) >= 22) {
      expect(output.stderr).not.toMatch(/warn/i);
    }
  });
});
