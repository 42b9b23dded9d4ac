import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Upper bounds on the tarballs, about 1.5 times what they measured when set (root: 256 files,
 * 1.0 MB packed, most of it the three Lambda bundles and their source maps), so an accidental
 * folder (tests, fixtures, bench results, a second copy of the assets) fails the test.
 */
export const PACKAGE_LIMITS = {
  root: { files: 400, bytes: 1_600_000 },
  local: { files: 250, bytes: 400_000 },
} as const;

/** What `npm pack --json` reports for one tarball. */
export interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly string[];
}

/**
 * The environment without what `npm test` adds (npm_config_*, npm_package_*, INIT_CWD...): a
 * child npm must find its project from its own working directory, never from the repository.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD' && name !== 'NODE_PATH',
    ),
  );
}

/** Output of a finished command. */
export interface Finished {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
export function run(command: string, args: readonly string[], cwd: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} (in ${cwd}) exited with ${code}\n--- stdout\n${stdout.slice(-4000)}\n--- stderr\n${stderr.slice(-4000)}`,
          ),
        );
    });
  });
}

/** The one tarball `npm pack --json` describes. */
export function readPackResult(output: Finished): PackResult {
  // Lifecycle scripts (prepack) print before the JSON array; the array is the last thing.
  const json = output.stdout.slice(output.stdout.lastIndexOf('\n[') + 1);
  const [result] = JSON.parse(json) as {
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
    files: { path: string }[];
  }[];
  if (result === undefined) throw new Error(`npm pack reported no tarball; received ${json}`);
  return { ...result, files: result.files.map((file) => file.path) };
}

/** Live output of a long-running child. */
export interface Output {
  stdout: string;
  stderr: string;
}

/** Collects the child's output and resolves once stdout contains `text`. */
export function waitForText(child: ChildProcess, text: string, timeoutMs: number): Promise<Output> {
  const output: Output = { stdout: '', stderr: '' };
  child.stderr?.on('data', (chunk) => (output.stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `no "${text}" within ${timeoutMs} ms; output so far:\n${output.stdout}\n${output.stderr}`,
          ),
        ),
      timeoutMs,
    );
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`exited with ${code} before "${text}":\n${output.stdout}\n${output.stderr}`),
      );
    });
    child.stdout?.on('data', (chunk) => {
      output.stdout += String(chunk);
      if (output.stdout.includes(text)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
  });
}
