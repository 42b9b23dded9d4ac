/*
 * The local stand-ins (dynalite, fauxqs) each run in a worker thread: their request parsing and
 * bookkeeping otherwise share one event loop with the GraphQL endpoint, the resolvers and the
 * dispatcher, so every call queued behind everything else (and fauxqs rescans every delayed
 * message each 20 ms). A thread, unlike a child process, dies with the process on kill -9, so
 * nothing is left holding dynalite's LevelDB lock.
 *
 * The thread's script (CommonJS, evaluated) must define `async function start(options)` that
 * listens and returns `{ port, stop(), ...operations }`; the parent calls operations by name.
 */
import { Worker } from 'node:worker_threads';

const PROTOCOL = `
const { parentPort, workerData } = require('node:worker_threads');
const describe = (error) => String((error && error.stack) || error);
start(workerData.options).then(
  (service) => {
    parentPort.on('message', async ({ id, operation, args }) => {
      try {
        const result = await service[operation](...args);
        parentPort.postMessage({ id, result });
        if (operation === 'stop') parentPort.close();
      } catch (error) {
        parentPort.postMessage({ id, error: describe(error) });
      }
    });
    parentPort.postMessage({ port: service.port });
  },
  (error) => parentPort.postMessage({ error: describe(error) }),
);
`;

type Started = { readonly port: number } | { readonly error: string };
interface Answer {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** A stand-in server running in its own thread. */
export interface ServiceThread {
  readonly port: number;
  /** Calls one of the operations the thread's `start` returned; rejects with its error. */
  call(operation: string, ...args: unknown[]): Promise<unknown>;
  /** Calls the thread's `stop`, then ends the thread; safe to call twice. */
  stop(): Promise<void>;
}

function firstMessage(worker: Worker, name: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new Error(`${name} thread exited with code ${code} before it started`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: Started) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(message);
    });
  });
}

/** Starts `script` (see above) in a thread with `options`; resolves once it listens. */
export async function startServiceThread(
  name: string,
  script: string,
  options: unknown,
): Promise<ServiceThread> {
  const worker = new Worker(`${script}\n${PROTOCOL}`, { eval: true, workerData: { options } });
  const started = await firstMessage(worker, name);
  if (!('port' in started)) {
    await worker.terminate();
    throw new Error(`${name} did not start: ${started.error}`);
  }
  let nextId = 0;
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >();
  let exited = false;
  worker.on('message', (answer: Answer) => {
    const waiter = pending.get(answer.id);
    pending.delete(answer.id);
    if (answer.error === undefined) waiter?.resolve(answer.result);
    else waiter?.reject(new Error(`${name}: ${answer.error}`));
  });
  worker.once('exit', (code) => {
    exited = true;
    for (const waiter of pending.values())
      waiter.reject(new Error(`${name} thread exited (${code})`));
    pending.clear();
  });
  const call = (operation: string, ...args: unknown[]) => {
    if (exited) return Promise.reject(new Error(`${name} is stopped`));
    const id = (nextId += 1);
    return new Promise<unknown>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, operation, args });
    });
  };
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    if (exited) return;
    try {
      await call('stop');
    } finally {
      await worker.terminate();
    }
  };
  return { port: started.port, call, stop: () => (stopping ??= stop()) };
}
