import { SMOKE_HELP, SmokeUsageError, parseSmokeArgs } from './options.js';
import type { SmokeOutput } from './report.js';
import { SMOKE_EXIT, runSmoke } from './run.js';

/** `npm run smoke -- <argv>`: returns the exit code (0 PASS, 1 FAIL, 2 usage, 3 unreachable). */
export async function smokeCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  out: SmokeOutput,
  errors: SmokeOutput,
): Promise<number> {
  let options;
  try {
    options = parseSmokeArgs(argv, env);
  } catch (error) {
    if (!(error instanceof SmokeUsageError)) throw error;
    errors.line(`error: ${error.message}`);
    errors.line(
      'usage: npm run smoke -- --endpoint <GraphQL URL> [--api-key K | --jwt T | --iam]; --help for more',
    );
    return SMOKE_EXIT.usage;
  }
  if (options === 'help') {
    out.line(SMOKE_HELP);
    return SMOKE_EXIT.pass;
  }
  return runSmoke(options, out);
}
