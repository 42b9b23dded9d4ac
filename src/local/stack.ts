import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_CREDENTIALS, createSqsClient } from '../aws/clients.js';
import {
  type AuthConfig,
  loadDevCertificate,
  type LocalIamCredentials,
  mintDevToken,
  resolveDevKeys,
  startEndpoint,
  withQueryLimits,
} from '@precise-scheduler/appsync-local';
import { consoleRoutes } from './console-routes.js';
import { startFeederTimer, type FeederTimer } from './lambda/feeder-timer.js';
import { createStackLog, type StackLog } from './log.js';
import { resolveOptions, type LocalStackOptions, type ResolvedOptions } from './options.js';
import {
  ensureResolverBundles,
  wireProduct,
  type FiredSample,
  type Product,
} from './product-wiring.js';
import {
  DEFAULT_RESOURCE_NAMES,
  createLocalResources,
  deadLetterQueueName,
  startLocalDynamo,
  startLocalSqs,
  type LocalQueues,
} from './services.js';
import { adoptJournal, putBack, readSqsJournal } from './sqs-journal.js';

export type { LocalStackOptions } from './options.js';

/** A running local stack: the whole product in this process. */
export interface LocalStack {
  /** e.g. `http://127.0.0.1:4000/graphql` (POST, and graphql-ws over WebSocket). */
  readonly graphqlUrl: string;
  /** AppSync real-time protocol endpoint, e.g. `ws://127.0.0.1:4000/graphql/realtime`. */
  readonly realtimeUrl: string;
  /** The same endpoint over TLS (same port), e.g. `https://127.0.0.1:4000/graphql`. */
  readonly httpsGraphqlUrl: string;
  /** The self-signed certificate of the TLS side (PEM), for clients that must trust it. */
  readonly tlsCertificate: string;
  /** Where that certificate is stored; undefined in memory mode. */
  readonly tlsCertificatePath: string | undefined;
  /** The web console, e.g. `http://127.0.0.1:4000/`. */
  readonly consoleUrl: string;
  readonly port: number;
  /** The dev API key (`x-api-key`); its callers all act as one shared owner. */
  readonly apiKey: string;
  /** Where fired payloads land for back-end consumers. */
  readonly outputQueueUrl: string;
  readonly delayQueueUrl: string;
  readonly tableName: string;
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  /** The data directory, undefined in memory mode. */
  readonly dataDir: string | undefined;
  /** Credentials IAM (SigV4, service "appsync") callers must sign with. */
  readonly iamCredentials: LocalIamCredentials;
  /** Mints a dev user-pool JWT for `username` (send it as `Authorization`). */
  mintToken(username: string, options?: { expiresInSeconds?: number }): Promise<string>;
  /** Runs one feeder pass over every shard now, and resolves when it is done. */
  runFeederPass(): Promise<void>;
  /**
   * Fired schedules announced since start, newest last (for tests and benchmarks); only the
   * latest {@link MAX_FIRED_SAMPLES} (up to 10% more) are kept, so a long-running stack does not grow.
   */
  readonly fired: readonly FiredSample[];
  /** Drains in-flight work and stops every server; safe to call twice. */
  stop(): Promise<void>;
}

/** How many fired samples {@link LocalStack.fired} keeps. */
export const MAX_FIRED_SAMPLES = 100_000;

interface Stoppable {
  readonly name: string;
  stop(): Promise<void>;
}

async function stopAll(stoppables: Stoppable[], log: StackLog): Promise<void> {
  for (const item of stoppables.reverse()) {
    try {
      await item.stop();
    } catch (error) {
      log.warn(`stopping ${item.name} failed`, error);
    }
  }
}

async function startStorage(options: ResolvedOptions, log: StackLog, started: Stoppable[]) {
  const dynamoDir = options.dataDir === undefined ? undefined : join(options.dataDir, 'dynamodb');
  if (dynamoDir !== undefined) await mkdir(dynamoDir, { recursive: true });
  const dynamo = await startLocalDynamo(dynamoDir === undefined ? {} : { dataDir: dynamoDir });
  started.push({ name: 'dynalite', stop: dynamo.stop });
  log.info(`dynalite (DynamoDB) at ${dynamo.endpoint}, ${dynamoDir ?? 'in memory'}`);
  const journalPath =
    options.dataDir === undefined ? undefined : join(options.dataDir, SQS_JOURNAL_FILE);
  const survivors = journalPath === undefined ? new Map() : await readSqsJournal(journalPath);
  const sqs = await startLocalSqs(
    journalPath === undefined
      ? {}
      : { journal: { path: `${journalPath}.next`, queues: JOURNALED_QUEUES } },
  );
  started.push({ name: 'fauxqs', stop: sqs.stop });
  log.info(`fauxqs (SQS) at ${sqs.endpoint}, ${journalPath ?? 'in memory'}`);
  const queues = await createLocalResources(dynamo, sqs, DEFAULT_RESOURCE_NAMES, {
    ...options,
    log: (message) => log.info(message),
  });
  if (journalPath !== undefined) {
    const putBackCount = await restoreQueues(sqs.endpoint, queues, survivors);
    await adoptJournal(`${journalPath}.next`, journalPath);
    if (putBackCount > 0)
      log.info(`${putBackCount} messages put back on the output queue and DLQs`);
  }
  log.info(`table "${DEFAULT_RESOURCE_NAMES.table}" and queues ready`);
  return { dynamo, sqs, queues };
}

/** The journal of the queues the table cannot rebuild, in the data directory. */
const SQS_JOURNAL_FILE = 'sqs-journal.ndjson';

/** The delay queue is rebuilt from the table at start-up; these are not. */
const JOURNALED_QUEUES = [
  DEFAULT_RESOURCE_NAMES.outputQueue,
  deadLetterQueueName(DEFAULT_RESOURCE_NAMES.outputQueue),
  deadLetterQueueName(DEFAULT_RESOURCE_NAMES.delayQueue),
];

/** Puts the journaled messages back on their new queues; returns how many. */
async function restoreQueues(
  endpoint: string,
  queues: LocalQueues,
  survivors: ReadonlyMap<string, readonly string[]>,
): Promise<number> {
  const urls = new Map([
    [DEFAULT_RESOURCE_NAMES.outputQueue, queues.outputQueueUrl],
    [deadLetterQueueName(DEFAULT_RESOURCE_NAMES.outputQueue), queues.outputDlqUrl],
    [deadLetterQueueName(DEFAULT_RESOURCE_NAMES.delayQueue), queues.delayDlqUrl],
  ]);
  const client = createSqsClient({ sqsEndpoint: endpoint });
  let count = 0;
  try {
    for (const [name, bodies] of survivors) {
      const url = urls.get(name);
      if (url === undefined || bodies.length === 0) continue;
      await putBack(client, url, bodies);
      count += bodies.length;
    }
  } finally {
    client.destroy();
  }
  return count;
}

interface StartContext {
  readonly options: ResolvedOptions;
  readonly log: StackLog;
  readonly started: Stoppable[];
}

async function startApi(ctx: StartContext, product: Product, auth: AuthConfig) {
  const { options, log, started } = ctx;
  const tls = await loadDevCertificate(options.dataDir);
  const endpoint = await startEndpoint(
    {
      tls,
      engine: withQueryLimits(product.engine),
      auth,
      keepAliveMs: options.keepAliveMs,
      serveGet: consoleRoutes({ apiKey: auth.apiKey, graphqlPath: '/graphql' }),
    },
    { port: options.port, host: options.host },
  );
  started.push({ name: 'endpoint', stop: endpoint.stop });
  const displayHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  const base = `http://${displayHost}:${endpoint.port}`;
  log.info(`AppSync endpoint at ${base}/graphql (WebSocket: graphql-ws and /graphql/realtime)`);
  return { tls, port: endpoint.port, base };
}

async function startFiring(
  ctx: StartContext,
  product: Product,
  target: { graphqlUrl: string },
  fired: FiredSample[],
): Promise<FeederTimer> {
  const { options, log, started } = ctx;
  const firing = product.startFiring(target.graphqlUrl, (sample) => {
    // Trimmed in chunks so a busy stack does not shift the whole array on every event.
    if (fired.push(sample) > MAX_FIRED_SAMPLES * 1.1) {
      fired.splice(0, fired.length - MAX_FIRED_SAMPLES);
    }
  });
  const feeder = startFeederTimer({
    intervalMs: options.feederIntervalSeconds * 1000,
    runPass: firing.runFeederPass,
    onError: (error) => log.warn('feeder pass failed', error),
  });
  started.push({
    name: 'feeder',
    stop: async () => {
      product.interruptFeeder();
      await feeder.stop();
    },
  });
  log.info(
    `feeder every ${options.feederIntervalSeconds} s (first pass now: re-hands-over what the table says is queued or firing)`,
  );
  // Its own thread, like a Lambda instance beside the API (see lambda/dispatcher-thread.ts).
  const dispatcher = await firing.startDispatcher({
    pollers: options.pollers,
    waitTimeSeconds: options.pollWaitSeconds,
    timeoutMs: options.visibilityTimeoutSeconds * 1000,
    onWarning: (message, error) => log.warn(message, error),
  });
  started.push({ name: 'dispatcher', stop: dispatcher.stop });
  log.info(`dispatcher: ${options.pollers} pollers on the delay queue, in its own thread`);
  return feeder;
}

async function startStack(ctx: StartContext, raw: LocalStackOptions): Promise<LocalStack> {
  const { options } = ctx;
  const manifestDir = await ensureResolverBundles(raw.manifestDir);
  const { dynamo, sqs, queues } = await startStorage(options, ctx.log, ctx.started);
  const keys = await resolveDevKeys(options.dataDir);
  const iamCredentials: LocalIamCredentials = LOCAL_CREDENTIALS;
  const auth = { apiKey: options.apiKey ?? keys.apiKey, jwtSecret: keys.jwtSecret, iamCredentials };
  const interpose = raw.interpose ?? ((_service, endpoint) => Promise.resolve(endpoint));
  const sqsEndpoint = await interpose('sqs', sqs.endpoint);
  const product = await wireProduct({
    manifestDir,
    dynamoEndpoint: await interpose('dynamodb', dynamo.endpoint),
    sqsEndpoint,
    tableName: DEFAULT_RESOURCE_NAMES.table,
    queues,
    settingsEnv: options.env,
    iamCredentials,
    quiet: options.quiet,
    nextTokenSecret: createHash('sha256')
      .update(`next-token:${keys.jwtSecret}`)
      .digest('base64url'),
    delayQueue: {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      maxReceiveCount: options.maxReceiveCount,
    },
  });
  ctx.started.push({ name: 'engine', stop: product.stop });
  const { tls, port, base } = await startApi(ctx, product, auth);
  const graphqlUrl = `${base}/graphql`;
  const fired: FiredSample[] = [];
  // The dispatcher publishes like any IAM caller, over HTTP; a test may put faults in its way.
  const publishUrl = `${await interpose('appsync', base)}/graphql`;
  const feeder = await startFiring(ctx, product, { graphqlUrl: publishUrl }, fired);
  return {
    graphqlUrl,
    realtimeUrl: `${base.replace(/^http/, 'ws')}/graphql/realtime`,
    httpsGraphqlUrl: `${base.replace(/^http/, 'https')}/graphql`,
    tlsCertificate: tls.cert,
    tlsCertificatePath: tls.certPath,
    consoleUrl: `${base}/`,
    port,
    apiKey: auth.apiKey,
    outputQueueUrl: queues.outputQueueUrl,
    delayQueueUrl: queues.delayQueueUrl,
    tableName: DEFAULT_RESOURCE_NAMES.table,
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    dataDir: options.dataDir,
    iamCredentials,
    fired,
    mintToken: (username, tokenOptions) => mintDevToken(keys.jwtSecret, username, tokenOptions),
    runFeederPass: feeder.runNow,
    stop: () => Promise.resolve(),
  };
}

/**
 * Starts the whole product in this process, in order: dynalite, fauxqs, table and queues, the
 * local AppSync endpoint, the feeder timer and the dispatcher pollers.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const resolved = resolveOptions(options);
  const log = createStackLog(resolved.quiet);
  const started: Stoppable[] = [];
  try {
    const stack = await startStack({ options: resolved, log, started }, options);
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= stopAll(started, log));
    return { ...stack, stop };
  } catch (error) {
    await stopAll(started, log);
    throw error;
  }
}
