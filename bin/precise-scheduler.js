#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the package works without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const print = (stream) => ({ line: (text) => stream.write(`${text}\n`) });
process.exitCode = await runCli(
  process.argv.slice(2),
  print(process.stdout),
  print(process.stderr),
  process.env,
  controller.signal,
);
