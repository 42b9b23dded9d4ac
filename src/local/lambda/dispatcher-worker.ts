/*
 * The dispatcher's Lambda instance: this module runs in its own worker thread (see
 * dispatcher-thread.ts). It has its own SDK clients and publisher, polls the delay queue and runs
 * the same handler the cloud deploys, so the main thread keeps only the GraphQL endpoint and
 * the subscription fan-out. It talks to the parent in messages:
 *   parent -> thread: { stop: true }
 *   thread -> parent: { ready: true } | { fired: FiredSample[] } | { warn, error } | { http } | { sdk }
 *                     | { stopped: true }
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { Logger } from '@aws-lambda-powertools/logger';
import type { InitializeHandlerArguments, InitializeMiddleware } from '@smithy/types';
import { AppSyncPublisher } from '../../aws/appsync-publisher.js';
import { createDynamoClient, createSqsClient } from '../../aws/clients.js';
import { makeDispatcherHandler } from '../../engine/dispatcher.js';
import type { FiredEvent } from '../../engine/fired-event.js';
import { SERVICE_NAME, type EngineMetrics } from '../../engine/observability.js';
import { readEngineSettings } from '../../engine/settings.js';
import type {
  DispatcherThreadConfig,
  FiredSample,
  HttpRelay,
  SdkCallRecord,
} from './dispatcher-thread.js';
import { startSqsEventSource } from './sqs-event-source.js';

const config = workerData as DispatcherThreadConfig;
if (parentPort === null) throw new Error('dispatcher-worker.ts must run in a worker thread');
const port = parentPort;

/** Locally the metrics are not shipped anywhere; lateness goes to the parent as samples. */
const NO_METRICS: EngineMetrics = {
  count: () => undefined,
  milliseconds: () => undefined,
  seconds: () => undefined,
  flush: () => undefined,
};

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Posts what one event-loop turn gathered as one message: a burst fires hundreds per turn. */
function turnBuffer<T>(post: (items: T[]) => void): (item: T) => void {
  let items: T[] = [];
  return (item) => {
    if (items.length === 0) {
      setImmediate(() => {
        const batch = items;
        items = [];
        post(batch);
      });
    }
    items.push(item);
  };
}

/**
 * Process-wide observers of HTTP client calls (diagnostics channels) see only their own thread:
 * when the parent had any, the headers of this thread's calls go to it to be published there.
 */
function relayHttpClientCalls(): void {
  const ids = new WeakMap<object, number>();
  let next = 0;
  const relay = turnBuffer<HttpRelay>((http) => port.postMessage({ http }));
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    const id = (next += 1);
    ids.set(request, id);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.getHeaders())) {
      if (value !== undefined) headers[name] = String(value);
    }
    relay({ phase: 'start', id, headers });
  });
  subscribe('http.client.response.finish', (message) => {
    const id = ids.get((message as { request: ClientRequest }).request);
    if (id !== undefined) relay({ phase: 'finish', id });
  });
}

if (config.relayHttp) relayHttpClientCalls();

const DYNAMO_READS = new Set(['Query', 'Scan', 'GetItem', 'BatchGetItem']);
const relaySdk = turnBuffer<SdkCallRecord>((sdk) => port.postMessage({ sdk }));

/**
 * Reports each call the client completes to the parent (see SDK_CALL_CHANNEL). DynamoDB reads
 * ask for their consumed capacity, which changes nothing else about them.
 */
function relaySdkCallsOf(
  client: {
    middlewareStack: {
      add(middleware: InitializeMiddleware<object, object>, options: object): void;
    };
  },
  service: SdkCallRecord['service'],
): void {
  const middleware: InitializeMiddleware<object, object> =
    (next, context) => async (args: InitializeHandlerArguments<object>) => {
      const command = String((context as { commandName?: string }).commandName).replace(
        /Command$/,
        '',
      );
      const input = args.input as Record<string, unknown>;
      const read = service === 'dynamodb' && DYNAMO_READS.has(command);
      const result = await next(
        read && input['ReturnConsumedCapacity'] === undefined
          ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } }
          : args,
      );
      const output = result.output as Record<string, unknown>;
      const consumed = output['ConsumedCapacity'] as { CapacityUnits?: number } | undefined;
      relaySdk({
        service,
        command,
        ...(typeof input['IndexName'] === 'string' ? { indexName: input['IndexName'] } : {}),
        scannedCount: (output['ScannedCount'] as number | undefined) ?? 0,
        capacityUnits: Array.isArray(consumed) ? 0 : (consumed?.CapacityUnits ?? 0),
        messages: ((output['Messages'] as unknown[] | undefined) ?? []).length,
      });
      return result;
    };
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'relaySdkCalls' });
}

const settings = readEngineSettings(config.settingsEnv);
const dynamo = createDynamoClient({ dynamoEndpoint: config.dynamoEndpoint });
const sqs = createSqsClient({ sqsEndpoint: config.sqsEndpoint });
if (config.relaySdkCalls) {
  relaySdkCallsOf(dynamo, 'dynamodb');
  relaySdkCallsOf(sqs, 'sqs');
}
const publisher = new AppSyncPublisher({
  url: config.graphqlUrl,
  region: 'us-east-1',
  credentials: config.iamCredentials,
  maxConcurrency: settings.publishConcurrency,
});
const sendFired = turnBuffer<FiredSample>((fired) => port.postMessage({ fired }));
const handler = makeDispatcherHandler({
  settings,
  logger: new Logger({ serviceName: SERVICE_NAME, logLevel: config.quiet ? 'SILENT' : 'WARN' }),
  metrics: NO_METRICS,
  dynamo,
  sqs,
  tableName: config.tableName,
  delayQueueUrl: config.delayQueueUrl,
  outputQueueUrl: config.outputQueueUrl,
  publisher: {
    send: async (event: FiredEvent) => {
      await publisher.send(event);
      sendFired({ id: event.id, latenessMs: event.latenessMs });
    },
  },
});
const source = startSqsEventSource({
  client: sqs,
  queueUrl: config.delayQueueUrl,
  handler,
  functionName: 'dispatcher',
  pollers: config.pollers,
  waitTimeSeconds: config.waitTimeSeconds,
  timeoutMs: config.timeoutMs,
  onError: (warn, error) => port.postMessage({ warn, error: describe(error) }),
});

port.on('message', (message: { stop?: boolean }) => {
  if (message.stop !== true) return;
  void source.stop().then(() => {
    dynamo.destroy();
    sqs.destroy();
    // Samples of the last turn go before the answer, so the parent has every one.
    setImmediate(() => {
      port.postMessage({ stopped: true });
      port.close();
    });
  });
});
port.postMessage({ ready: true });
