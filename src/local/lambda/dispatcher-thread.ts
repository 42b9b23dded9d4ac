/*
 * Runs the dispatcher (the SQS event source mapping and its handler) in a worker thread, like a
 * Lambda instance beside the API. In a burst its SDK calls, claims and publish requests were
 * most of the main thread's work, and the main thread was the limit while the second core sat
 * partly idle; now the main thread serves only the GraphQL endpoint and the fan-out.
 */
import { channel, hasSubscribers } from 'node:diagnostics_channel';
import { Worker } from 'node:worker_threads';

/** One fired schedule as the dispatcher announced it. */
export interface FiredSample {
  readonly id: string;
  readonly latenessMs: number;
}

/** One HTTP client call of the thread, relayed to the parent's diagnostics channels. */
export type HttpRelay =
  | { readonly phase: 'start'; readonly id: number; readonly headers: Record<string, string> }
  | { readonly phase: 'finish'; readonly id: number };

/** What the thread's dispatcher is built from (structured-cloneable). */
export interface DispatcherThreadConfig {
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  readonly tableName: string;
  readonly delayQueueUrl: string;
  readonly outputQueueUrl: string;
  /** Where the dispatcher publishes `publishScheduleFired`, signed with `iamCredentials`. */
  readonly graphqlUrl: string;
  readonly iamCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The engine settings' variables, as `readEngineSettings` reads them. */
  readonly settingsEnv: Readonly<Record<string, string>>;
  readonly quiet: boolean;
  readonly pollers: number;
  readonly waitTimeSeconds: number;
  readonly timeoutMs: number;
  /** Relay the thread's HTTP client calls to this thread's diagnostics channels. */
  readonly relayHttp?: boolean;
  /** Relay the thread's AWS SDK calls to {@link SDK_CALL_CHANNEL}. */
  readonly relaySdkCalls?: boolean;
}

/**
 * Diagnostics channel on which each AWS SDK call the thread's clients completed is published
 * here, as an {@link SdkCallRecord}: a meter in this thread cannot reach the thread's clients.
 * The thread relays them only when the channel had subscribers as it started.
 */
export const SDK_CALL_CHANNEL = 'precise-scheduler:dispatcher-sdk-call';

/** One AWS SDK call the thread's clients completed. */
export interface SdkCallRecord {
  readonly service: 'dynamodb' | 'sqs';
  /** The command without its suffix, e.g. "UpdateItem" or "ReceiveMessage". */
  readonly command: string;
  /** The `IndexName` of a DynamoDB Query or Scan. */
  readonly indexName?: string;
  /** Items DynamoDB read (Query/Scan), before any filter. */
  readonly scannedCount: number;
  /** Capacity DynamoDB reported as consumed (reads ask for it while relaying). */
  readonly capacityUnits: number;
  /** Messages a ReceiveMessage returned. */
  readonly messages: number;
}

/** What the parent hears from the thread. */
export interface DispatcherThreadEvents {
  readonly onFired: (sample: FiredSample) => void;
  readonly onWarning: (message: string, error: string) => void;
}

/** A running dispatcher thread. */
export interface DispatcherThread {
  /** Stops polling, lets in-flight batches finish, then ends the thread; safe to call twice. */
  stop(): Promise<void>;
}

type ThreadMessage =
  | { readonly ready: true }
  | { readonly stopped: true }
  | { readonly fired: readonly FiredSample[] }
  | { readonly warn: string; readonly error: string }
  | { readonly http: readonly HttpRelay[] }
  | { readonly sdk: readonly SdkCallRecord[] };

/**
 * Loads the worker module. Built JavaScript loads as is; from TypeScript sources (tests, `tsx`)
 * the thread registers tsx's loader first, since a test runner's in-process transform does not
 * reach other threads.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader !== undefined) (await import(workerData.loader)).register();
  await import(workerData.entry);
})().catch((error) => {
  require('node:worker_threads').parentPort.postMessage({ failed: String((error && error.stack) || error) });
});
`;

function workerEntry(): { entry: string; loader?: string } {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./dispatcher-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  return fromSource ? { entry, loader: import.meta.resolve('tsx/esm/api') } : { entry };
}

/** Publishes the thread's HTTP client calls on this thread's channels, as if made here. */
function httpRelayTarget(): (calls: readonly HttpRelay[]) => void {
  const start = channel('http.client.request.start');
  const finish = channel('http.client.response.finish');
  const requests = new Map<number, { getHeader(name: string): string | undefined }>();
  return (calls) => {
    for (const call of calls) {
      if (call.phase === 'start') {
        const { headers } = call;
        const request = { getHeader: (name: string) => headers[name.toLowerCase()] };
        requests.set(call.id, request);
        start.publish({ request });
      } else {
        const request = requests.get(call.id);
        requests.delete(call.id);
        if (request !== undefined) finish.publish({ request });
      }
    }
  };
}

/** Starts the dispatcher thread; resolves once its pollers run. */
export async function startDispatcherThread(
  config: DispatcherThreadConfig,
  events: DispatcherThreadEvents,
): Promise<DispatcherThread> {
  const relayHttp =
    hasSubscribers('http.client.request.start') || hasSubscribers('http.client.response.finish');
  const relaySdkCalls = hasSubscribers(SDK_CALL_CHANNEL);
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { ...config, relayHttp, relaySdkCalls, ...workerEntry() },
  });
  const relay = relayHttp ? httpRelayTarget() : () => undefined;
  const sdkCalls = channel(SDK_CALL_CHANNEL);
  let stopped: () => void = () => undefined;
  const whenStopped = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('error', (error) => {
      reject(error);
      events.onWarning('the dispatcher thread failed', String(error));
    });
    worker.once('exit', (code) => {
      reject(new Error(`dispatcher thread exited with code ${code} before it started`));
      stopped();
    });
    worker.on('message', (message: ThreadMessage | { failed: string }) => {
      if ('failed' in message) reject(new Error(`dispatcher thread failed: ${message.failed}`));
      else if ('ready' in message) resolve();
      else if ('fired' in message) message.fired.forEach(events.onFired);
      else if ('warn' in message) events.onWarning(message.warn, message.error);
      else if ('http' in message) relay(message.http);
      else if ('sdk' in message) message.sdk.forEach((call) => sdkCalls.publish(call));
      else if ('stopped' in message) stopped();
    });
  });
  try {
    await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    worker.postMessage({ stop: true });
    await whenStopped;
    await worker.terminate();
  };
  return { stop: () => (stopping ??= stop()) };
}
