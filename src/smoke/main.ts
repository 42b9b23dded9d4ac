/*
 * `npm run smoke -- --endpoint <url> ...`: the end-to-end check of a deployment or of `npm start`.
 */
import { smokeCommand } from './command.js';

const print = (stream: NodeJS.WriteStream) => ({
  line: (text: string) => stream.write(`${text}\n`),
});
const code = await smokeCommand(
  process.argv.slice(2),
  process.env,
  print(process.stdout),
  print(process.stderr),
);
process.exitCode = code;
// A request still open after a timed-out check must not keep the process (and CI) waiting.
setTimeout(() => process.exit(code), 1000).unref();
