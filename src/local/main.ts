/*
 * The local stack's command: `npm start` in a clone, `npx precise-scheduler dev` installed. It
 * runs the whole scheduler in this process; `token <username>` prints a dev JWT for a local user
 * of the data directory.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDevKeys, mintDevToken } from '@precise-scheduler/appsync-local';
import { RESOLVER_BUILD_DIR } from '../resolver-manifest.js';
import {
  PACKAGE_COMMANDS,
  REPOSITORY_COMMANDS,
  helpText,
  parseCommandLine,
  type LocalCommandNames,
} from './cli.js';
import type { LocalStackOptions } from './options.js';
import {
  RUNS_FROM_SOURCE,
  SHIPPED_RESOLVERS_DIR,
  buildResolverBundles,
} from './resolver-bundles.js';
import { startLocalStack, type LocalStack } from './stack.js';

function banner(stack: LocalStack, startedMs: number, names: LocalCommandNames): string {
  return [
    '',
    `precise-scheduler is running (ready in ${startedMs} ms)`,
    `  console        ${stack.consoleUrl}`,
    `  GraphQL        ${stack.graphqlUrl}`,
    `  graphql-ws     ${stack.graphqlUrl.replace(/^http/, 'ws')}`,
    `  AppSync WS     ${stack.realtimeUrl}`,
    `  TLS            same port: ${stack.httpsGraphqlUrl} (Amplify JS opens wss://)`,
    `  certificate    ${stack.tlsCertificatePath ?? 'generated for this run (--memory)'}`,
    `  API key        ${stack.apiKey}   (header x-api-key)`,
    `  output queue   ${stack.outputQueueUrl}`,
    `  data           ${stack.dataDir ?? 'in memory (--memory): nothing is kept'}`,
    `  users          ${names.token} alice   (header Authorization)`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

/** In a clone, builds the bundles from resolvers/; installed, uses the ones the package ships. */
async function resolverBundles(resolversDir: string | undefined): Promise<string> {
  if (RUNS_FROM_SOURCE) return buildResolverBundles(resolversDir ?? RESOLVER_BUILD_DIR);
  if (resolversDir !== undefined) {
    throw new Error(
      `--resolvers-dir applies only in a clone of the repository; the installed package runs the bundles in ${SHIPPED_RESOLVERS_DIR}. Received: --resolvers-dir ${resolversDir}`,
    );
  }
  return SHIPPED_RESOLVERS_DIR;
}

async function start(
  options: LocalStackOptions,
  resolversDir: string | undefined,
  names: LocalCommandNames,
): Promise<void> {
  const startedAt = Date.now();
  const manifestDir = await resolverBundles(resolversDir);
  const stack = await startLocalStack({ ...options, manifestDir });
  process.stdout.write(banner(stack, Date.now() - startedAt, names));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without draining\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`${signal}: draining in-flight work…\n`);
    // Exit explicitly once drained: a library's idle handle must not keep a stopped stack alive.
    stack.stop().then(
      () => {
        process.stderr.write('stopped cleanly\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * Runs the local stack's command line (`argv` without node and script): prints help, a token, or
 * starts the stack and returns once it is ready (it then runs until SIGINT or SIGTERM). Throws
 * naming a malformed flag and its value.
 */
export async function runLocalCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  names: LocalCommandNames = RUNS_FROM_SOURCE ? REPOSITORY_COMMANDS : PACKAGE_COMMANDS,
): Promise<void> {
  const command = parseCommandLine(argv, env);
  if (command.kind === 'help') {
    process.stdout.write(helpText(names));
  } else if (command.kind === 'token') {
    const keys = await loadDevKeys(resolve(command.dataDir));
    const expires = command.expiresInSeconds;
    const token = await mintDevToken(keys.jwtSecret, command.username, {
      ...(expires === undefined ? {} : { expiresInSeconds: expires }),
    });
    process.stdout.write(`${token}\n`);
  } else {
    await start(command.options, command.resolversDir, names);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLocalCommand(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
