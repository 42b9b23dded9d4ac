import { parseArgs } from 'node:util';
import { SchedulerConnectionError, SchedulerError } from '../client/index.js';
import {
  DEFAULT_DATA_DIR,
  UsageError,
  cancelCommand,
  getCommand,
  pendingCommand,
  scheduleCommand,
  tokenCommand,
  watchCommand,
  type GlobalFlags,
  type Output,
} from './commands.js';

const HELP = `precise-scheduler: schedule payloads for delivery at an exact time

Usage: precise-scheduler <command> [options]

Commands:
  dev [--port <n>] [--data-dir <dir>] [--memory] ...
                               run the scheduler locally (GraphQL endpoint, console, queues);
                               dev --help lists its options
  schedule --at <ISO time> | --in <duration> --payload <JSON | @file> [--client-token <t>]
  cancel <id>                  cancel a pending schedule
  get <id>                     show one schedule
  pending [--from <ISO>] [--to <ISO>]
                               list pending schedules in due order
  watch                        print each fired schedule with its lateness, live
  token <username> [--ttl 1h]  mint a dev JWT for the local stack

Options:
  --endpoint <url>   GraphQL URL (env SCHEDULER_ENDPOINT; default http://localhost:4000/graphql)
  --api-key <key>    API key (env SCHEDULER_API_KEY)
  --jwt <token>      user-pool JWT (env SCHEDULER_JWT)
  --iam              sign requests with AWS credentials (SigV4); --region <r>
  --data-dir <dir>   local stack data dir, for its dev API key and token key (default ${DEFAULT_DATA_DIR})
  --json             machine-readable output
  -h, --help         this help

Durations: 90s, 15m, 2h, 2d, 1w, or combined like 1h30m.
Exit codes: 0 success, 1 the API refused or failed (errorType printed), 2 bad usage, 3 cannot connect.`;

const OPTIONS = {
  endpoint: { type: 'string' },
  'api-key': { type: 'string' },
  jwt: { type: 'string' },
  iam: { type: 'boolean' },
  region: { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  at: { type: 'string' },
  in: { type: 'string' },
  payload: { type: 'string' },
  'client-token': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  ttl: { type: 'string' },
} as const;

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  out: Output,
  errors: Output,
  env = process.env,
  signal?: AbortSignal,
): Promise<number> {
  try {
    if (argv[0] === 'dev') {
      // Loaded on demand: the client commands need none of the local stack.
      const [{ runLocalCommand }, { PACKAGE_COMMANDS }] = await Promise.all([
        import('../local/main.js'),
        import('../local/cli.js'),
      ]);
      await runLocalCommand(argv.slice(1), env, PACKAGE_COMMANDS);
      return 0;
    }
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
    });
    const [command, argument] = positionals;
    if (values.help === true || command === undefined) {
      out.line(HELP);
      return command === undefined && values.help !== true ? 2 : 0;
    }
    const flags: GlobalFlags = {
      endpoint: values.endpoint ?? env['SCHEDULER_ENDPOINT'] ?? 'http://localhost:4000/graphql',
      apiKey: values['api-key'] ?? env['SCHEDULER_API_KEY'],
      jwt: values.jwt ?? env['SCHEDULER_JWT'],
      iam: values.iam ?? false,
      region: values.region,
      dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
      json: values.json ?? false,
    };
    switch (command) {
      case 'schedule':
        await scheduleCommand(
          flags,
          {
            at: values.at,
            in: values.in,
            payload: values.payload,
            clientToken: values['client-token'],
          },
          out,
        );
        return 0;
      case 'cancel':
        await cancelCommand(flags, argument, out);
        return 0;
      case 'get':
        return (await getCommand(flags, argument, out)) ? 0 : 1;
      case 'pending':
        await pendingCommand(
          flags,
          {
            ...(values.from === undefined ? {} : { from: values.from }),
            ...(values.to === undefined ? {} : { to: values.to }),
          },
          out,
        );
        return 0;
      case 'watch':
        await watchCommand(flags, out, signal);
        return 0;
      case 'token':
        await tokenCommand(flags, argument, values.ttl, out);
        return 0;
      default:
        throw new UsageError(`Unknown command "${command}"; run with --help for the list`);
    }
  } catch (error) {
    return reportFailure(error, errors);
  }
}

function reportFailure(error: unknown, errors: Output): number {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    errors.line(`error: ${(error as Error).message}`);
    return 2;
  }
  if (
    error instanceof SchedulerConnectionError ||
    (error instanceof TypeError && error.message === 'fetch failed')
  ) {
    errors.line(
      `error: cannot reach the endpoint (${(error as Error).message}${(error as Error).cause ? `: ${String((error as Error).cause)}` : ''})`,
    );
    return 3;
  }
  if (error instanceof SchedulerError) {
    errors.line(`error: ${error.errorType}: ${error.message}`);
    return 1;
  }
  errors.line(`error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
