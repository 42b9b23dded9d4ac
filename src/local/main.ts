/*
 * `npm start`: builds the resolver bundles and runs the whole scheduler in this process.
 * `npm run token -- <username>`: prints a dev JWT for a local user of the data directory.
 */
import { resolve } from 'node:path';
import { buildResolvers } from '../../scripts/build-resolvers.js';
import { mintDevToken } from './auth/dev-jwt.js';
import { loadDevKeys } from './auth/dev-keys.js';
import { HELP_TEXT, parseCommandLine } from './cli.js';
import type { LocalStackOptions } from './options.js';
import { startLocalStack, type LocalStack } from './stack.js';

function banner(stack: LocalStack, startedMs: number): string {
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
    `  users          npm run token -- alice   (header Authorization)`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

async function start(options: LocalStackOptions, resolversDir: string): Promise<void> {
  const startedAt = Date.now();
  const manifestDir = resolve(resolversDir);
  await buildResolvers(manifestDir);
  const stack = await startLocalStack({ ...options, manifestDir });
  process.stdout.write(banner(stack, Date.now() - startedAt));
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

async function main(): Promise<void> {
  const command = parseCommandLine(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    process.stdout.write(HELP_TEXT);
  } else if (command.kind === 'token') {
    const keys = await loadDevKeys(resolve(command.dataDir));
    const expires = command.expiresInSeconds;
    const token = await mintDevToken(keys.jwtSecret, command.username, {
      ...(expires === undefined ? {} : { expiresInSeconds: expires }),
    });
    process.stdout.write(`${token}\n`);
  } else {
    await start(command.options, command.resolversDir);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
