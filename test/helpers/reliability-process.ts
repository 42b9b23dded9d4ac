import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LocalStackOptions } from '../../src/local/options.js';

const CHILD = fileURLToPath(new URL('./reliability-child.ts', import.meta.url));

/** What a child stack reports once it is ready. */
export interface ChildEndpoints {
  readonly graphqlUrl: string;
  readonly apiKey: string;
  readonly outputQueueUrl: string;
  readonly delayQueueUrl: string;
  readonly sqsEndpoint: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
}

/** A local stack running in its own process, to be killed with SIGKILL. */
export interface ChildStack extends ChildEndpoints {
  readonly process: ChildProcess;
  /** kill -9, then waits for the exit. */
  kill(): Promise<void>;
  /** The tail of the child's stderr and how it exited, for failure messages. */
  describe(): string;
}

/** Starts the local stack in a child process with `env` settings on top of this process's. */
export async function startChildStack(
  options: Omit<LocalStackOptions, 'interpose'>,
  env: Record<string, string> = {},
): Promise<ChildStack> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env, RELIABILITY_STACK_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = `${stderr}${chunk.toString()}`.slice(-4000);
  });
  const ready = new Promise<ChildEndpoints>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((text) => text.startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line) as ChildEndpoints);
    });
    child.once('exit', (code) => reject(new Error(`child stack exited with ${code}: ${stderr}`)));
  });
  const endpoints = await ready;
  return {
    ...endpoints,
    process: child,
    describe: () => `exit ${child.exitCode ?? child.signalCode ?? 'running'}; stderr: ${stderr}`,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
