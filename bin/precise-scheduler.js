#!/usr/bin/env node
// The installed package runs its compiled JavaScript (dist/). In a clone, where the TypeScript
// sources sit beside this file, it runs them through tsx (a dev dependency), so no build is needed.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
let runCli;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import(sources.href));
} else {
  ({ runCli } = await import('../dist/src/cli/main.js'));
}
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
// isTTY and write let `schedule --file` redraw its progress line in place on a terminal.
const print = (stream) => ({
  line: (text) => stream.write(`${text}\n`),
  isTTY: stream.isTTY === true,
  write: (text) => stream.write(text),
});
process.exitCode = await runCli(
  process.argv.slice(2),
  print(process.stdout),
  print(process.stderr),
  process.env,
  controller.signal,
);
