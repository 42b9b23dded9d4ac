import { parseArgs } from 'node:util';
import { SchedulerConnectionError, SchedulerError, type WatchFilter } from '../client/index.js';
import {
  DEFAULT_DATA_DIR,
  UsageError,
  cancelCommand,
  getCommand,
  pendingCommand,
  rescheduleCommand,
  scheduleCommand,
  tokenCommand,
  watchCommand,
  type GlobalFlags,
  type Output,
} from './commands.js';
import { listCommand } from './list-command.js';
import { scheduleFileCommand } from './schedule-file.js';

const HELP = `precise-scheduler: schedule payloads for delivery at an exact time

Usage: precise-scheduler <command> [options]

Commands:
  dev [--port <n>] [--data-dir <dir>] [--memory] ...
                               run the scheduler locally (GraphQL endpoint, console, queues);
                               dev --help lists its options
  schedule --at <ISO time> | --in <duration> --payload <JSON | @file> [--client-token <t>]
           [--key <k> [--on-conflict reject|replace|keep]] [--label <l>]... [--deliver queue|subscription]...
  schedule --file <items.jsonl>
                               one create input per line ({"delaySeconds":60,"payload":{...}}),
                               sent 25 per request; prints created N, failed M and each failed line
  reschedule <id> | --key <k>  --at <ISO time> | --in <duration>
                               move a pending schedule to a new due time (its id changes)
  cancel <id> | --key <k>      cancel a pending schedule
  get <id> | --key <k>         show one schedule
  pending [--from <ISO>] [--to <ISO>]
                               list pending schedules in due order
  list [--status <s>[,<s>]] [--label <l>] [--from <ISO>] [--to <ISO>] [--order asc|desc] [--limit <n>]
                               schedules in every state (fired, cancelled... within retention);
                               statuses: pending, queued, firing, fired, cancelled, rescheduled
  watch [--id <id>] [--key <k>] [--label <l>]
                               print each fired schedule with its lateness, live
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
  key: { type: 'string' },
  'on-conflict': { type: 'string' },
  label: { type: 'string', multiple: true },
  deliver: { type: 'string', multiple: true },
  file: { type: 'string' },
  status: { type: 'string', multiple: true },
  order: { type: 'string' },
  limit: { type: 'string' },
  id: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  ttl: { type: 'string' },
} as const;

/** Options of a single `schedule` that `--file` replaces. */
const SINGLE_SCHEDULE_OPTIONS = [
  'at',
  'in',
  'payload',
  'client-token',
  'key',
  'on-conflict',
  'label',
  'deliver',
] as const;

function watchFilter(values: { id?: string; key?: string; label?: string[] }): WatchFilter {
  if ((values.label?.length ?? 0) > 1)
    throw new UsageError(
      `watch takes one --label; received ${values.label?.map((l) => `"${l}"`).join(', ')}`,
    );
  const label = values.label?.[0];
  return {
    ...(values.id === undefined ? {} : { id: values.id }),
    ...(values.key === undefined ? {} : { key: values.key }),
    ...(label === undefined ? {} : { label }),
  };
}

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
        if (values.file !== undefined) {
          const mixed = SINGLE_SCHEDULE_OPTIONS.filter((name) => values[name] !== undefined);
          if (mixed.length > 0)
            throw new UsageError(
              `--file takes every input from the file; received also --${mixed.join(', --')}`,
            );
          return (await scheduleFileCommand(flags, values.file, out, errors)) ? 0 : 1;
        }
        await scheduleCommand(
          flags,
          {
            at: values.at,
            in: values.in,
            payload: values.payload,
            clientToken: values['client-token'],
            key: values.key,
            onConflict: values['on-conflict'],
            labels: values.label,
            deliver: values.deliver,
          },
          out,
        );
        return 0;
      case 'reschedule':
        await rescheduleCommand(
          flags,
          argument,
          { key: values.key, at: values.at, in: values.in },
          out,
        );
        return 0;
      case 'cancel':
        await cancelCommand(flags, argument, values.key, out);
        return 0;
      case 'get':
        return (await getCommand(flags, argument, values.key, out)) ? 0 : 1;
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
      case 'list':
        await listCommand(
          flags,
          {
            status: values.status,
            labels: values.label,
            from: values.from,
            to: values.to,
            order: values.order,
            limit: values.limit,
          },
          out,
        );
        return 0;
      case 'watch':
        await watchCommand(flags, watchFilter(values), out, signal);
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
