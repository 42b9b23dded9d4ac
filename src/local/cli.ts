import { parseArgs } from 'node:util';
import { RESOLVER_BUILD_DIR } from '../resolver-manifest.js';
import { DEFAULT_DATA_DIR, type LocalStackOptions } from './options.js';

/** How the user starts the local stack and mints a token: in a clone, or from the package. */
export interface LocalCommandNames {
  /** e.g. `npm start --` or `npx precise-scheduler dev`. */
  readonly start: string;
  /** e.g. `npm run token --` or `npx precise-scheduler dev token`. */
  readonly token: string;
}

/** The names in a clone of the repository. */
export const REPOSITORY_COMMANDS: LocalCommandNames = {
  start: 'npm start --',
  token: 'npm run token --',
};

/** The names of the installed package's command. */
export const PACKAGE_COMMANDS: LocalCommandNames = {
  start: 'npx precise-scheduler dev',
  token: 'npx precise-scheduler dev token',
};

/** The `--help` text, naming the commands as the user typed them. */
export function helpText(names: LocalCommandNames = REPOSITORY_COMMANDS): string {
  const usage = 'Usage: ';
  const indent = ' '.repeat(usage.length);
  return `${usage}${`${names.start} [options]`.padEnd(30)}  the whole scheduler in one process
${indent}${names.token} <username> [--expires-in <s>] [--data-dir <dir>]
${indent}${''.padEnd(32)}print a dev JWT for a local user

Options (environment variable in brackets):
  --port <n>              GraphQL endpoint and console port; 0 picks a free one [PORT] (4000)
  --host <host>           interface to listen on [HOST] (127.0.0.1)
  --data-dir <dir>        where tables and dev keys persist [SCHEDULER_DATA_DIR] (${DEFAULT_DATA_DIR})
  --memory                keep nothing on disk; keys change every run [SCHEDULER_MEMORY=1]
  --feeder-interval <s>   seconds between feeder passes [FEEDER_INTERVAL_SECONDS] (60)
  --pollers <n>           concurrent dispatcher pollers, 1 to 48 [DISPATCHER_POLLERS] (32)
  --api-key <key>         use this dev API key instead of the generated one [SCHEDULER_API_KEY]
  --resolvers-dir <dir>   in a clone, where to build the resolver bundles (${RESOLVER_BUILD_DIR});
                          the installed package runs the bundles it ships
  --quiet                 no log lines, only the ready banner
  -h, --help              this text

Scheduler settings come from the same environment variables as in the cloud: SHARD_COUNT,
BUCKET_WIDTH_SECONDS, FAST_PATH_HORIZON_SECONDS, MAX_HORIZON_SECONDS, PAST_TOLERANCE_MS,
MAX_PAYLOAD_BYTES, FINISHED_RETENTION_DAYS, LOOKAHEAD_SECONDS, STRANDED_GRACE_SECONDS, MAX_HOLD_MS, ...
(see docs/local.md). Each is checked at start-up.
`;
}

/** `npm start -- --help`. */
export const HELP_TEXT = helpText(REPOSITORY_COMMANDS);

/** What the command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'start';
      readonly options: LocalStackOptions;
      /** Where a clone builds the resolver bundles; undefined: the default for where it runs. */
      readonly resolversDir: string | undefined;
    }
  | {
      readonly kind: 'token';
      readonly username: string;
      readonly dataDir: string;
      readonly expiresInSeconds: number | undefined;
    };

type Env = Readonly<Record<string, string | undefined>>;

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer; received "${text}"`);
  return value;
}

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  memory: { type: 'boolean' },
  'feeder-interval': { type: 'string' },
  pollers: { type: 'string' },
  'api-key': { type: 'string' },
  quiet: { type: 'boolean' },
  'resolvers-dir': { type: 'string' },
  'expires-in': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses the command line and environment; throws naming a malformed flag and its value. */
export function parseCommandLine(argv: readonly string[], env: Env): CliCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: FLAGS,
    allowPositionals: true,
  });
  if (values.help === true) return { kind: 'help' };
  const dataDir = values['data-dir'] ?? env['SCHEDULER_DATA_DIR'] ?? DEFAULT_DATA_DIR;
  if (positionals[0] === 'token') {
    const username = positionals[1];
    if (username === undefined) throw new Error('token needs a username, e.g. token alice');
    const expiresInSeconds = integer('--expires-in', values['expires-in']);
    return { kind: 'token', username, dataDir, expiresInSeconds };
  }
  if (positionals.length > 0)
    throw new Error(`unknown command "${positionals.join(' ')}"; try --help`);
  const options: LocalStackOptions = {
    port: integer('--port', values.port ?? env['PORT']) ?? 4000,
    host: values.host ?? env['HOST'] ?? '127.0.0.1',
    dataDir,
    memory: values.memory ?? env['SCHEDULER_MEMORY'] === '1',
    feederIntervalSeconds:
      integer('--feeder-interval', values['feeder-interval'] ?? env['FEEDER_INTERVAL_SECONDS']) ??
      60,
    pollers: integer('--pollers', values.pollers ?? env['DISPATCHER_POLLERS']) ?? 32,
    quiet: values.quiet ?? false,
    ...((values['api-key'] ?? env['SCHEDULER_API_KEY'])
      ? { apiKey: values['api-key'] ?? env['SCHEDULER_API_KEY'] }
      : {}),
  };
  return { kind: 'start', options, resolversDir: values['resolvers-dir'] };
}
