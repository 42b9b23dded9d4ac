import { once } from 'node:events';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  serverErrorResponse,
  serviceOf,
  throttleResponse,
  type CannedResponse,
} from './fault-responses.js';

/** How often each fault is injected: probabilities from 0 to 1 per request. */
export interface FaultRates {
  /** Answer with a throttling error (HTTP 400) instead of forwarding. @default 0 */
  readonly throttle?: number;
  /** Answer with a server error (HTTP 500) instead of forwarding. @default 0 */
  readonly serverError?: number;
  /** Destroy the connection before the request reaches the service. @default 0 */
  readonly drop?: number;
  /** Forward the request, then destroy the connection instead of answering (the write happened). @default 0 */
  readonly dropResponse?: number;
  /** Share of forwarded requests that are delayed by up to `delayMs`. @default 1 when delayMs > 0 */
  readonly delay?: number;
  /** Longest injected delay, in ms; each delayed request waits a random share of it. @default 0 */
  readonly delayMs?: number;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The service behind the proxy, e.g. dynalite's `http://127.0.0.1:4567`. */
  readonly target: string;
  /** @default no faults */
  readonly rates?: FaultRates;
  /** Seed of the fault draws, so a run can be repeated. @default 1 */
  readonly seed?: number;
  /** Inject faults from the start; otherwise every request passes until `enable()`. @default true */
  readonly enabled?: boolean;
  /** Port to listen on; 0 picks a free one. @default 0 */
  readonly port?: number;
  /**
   * Forward the client's Host header unchanged, as a transparent proxy does: SigV4-signed
   * callers (the AppSync publish) sign it, and only dynalite and fauxqs ignore signatures.
   * @default true for requests that are neither DynamoDB nor SQS calls
   */
  readonly preserveHost?: boolean;
}

/** What kind of fault a request got. */
export type FaultKind = 'throttle' | 'serverError' | 'drop' | 'dropResponse' | 'delay';

/** Counts of a proxy's requests, by what happened to them. */
export interface FaultStats {
  readonly requests: number;
  /** Requests that reached the service (including delayed and dropResponse ones). */
  readonly forwarded: number;
  readonly injected: Readonly<Record<FaultKind, number>>;
  /** Injected failures (everything but plain delays) per service. */
  readonly failuresByService: Readonly<Record<string, number>>;
}

/** A running fault proxy. */
export interface FaultProxy {
  /** Point a client here instead of at `target`. */
  readonly endpoint: string;
  /** A snapshot of the counters. */
  stats(): FaultStats;
  /** Share of requests that got an injected failure (delays excluded), 0 when there were none. */
  failureRate(): number;
  enable(): void;
  disable(): void;
  readonly enabled: boolean;
  /** Replaces the rates from the next request on. */
  setRates(rates: FaultRates): void;
  stop(): Promise<void>;
}

/** mulberry32: a small seeded generator, so a fault pattern can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function checkRates(rates: FaultRates): FaultRates {
  for (const [name, value] of Object.entries(rates)) {
    const max = name === 'delayMs' ? 600_000 : 1;
    if (typeof value !== 'number' || !(value >= 0 && value <= max)) {
      throw new RangeError(
        `fault rate ${name} must be a number from 0 to ${max}; received ${value}`,
      );
    }
  }
  const failures =
    (rates.throttle ?? 0) +
    (rates.serverError ?? 0) +
    (rates.drop ?? 0) +
    (rates.dropResponse ?? 0);
  if (failures > 1) {
    throw new RangeError(`fault rates must add up to at most 1; received ${failures}`);
  }
  return rates;
}

type Decision = Exclude<FaultKind, 'delay'> | 'pass';

/** Picks at most one failure per request from the cumulative rates. */
function decide(rates: FaultRates, draw: number): Decision {
  const order: [Exclude<FaultKind, 'delay'>, number][] = [
    ['throttle', rates.throttle ?? 0],
    ['serverError', rates.serverError ?? 0],
    ['drop', rates.drop ?? 0],
    ['dropResponse', rates.dropResponse ?? 0],
  ];
  let edge = 0;
  for (const [kind, rate] of order) {
    edge += rate;
    if (draw < edge) return kind;
  }
  return 'pass';
}

function answer(res: ServerResponse, canned: CannedResponse): void {
  res.writeHead(canned.status, {
    ...canned.headers,
    'content-length': Buffer.byteLength(canned.body),
  });
  res.end(canned.body);
}

/** The proxy's mutable state: switch, rates, draws and counters. */
class FaultState {
  enabled: boolean;
  rates: FaultRates;
  readonly random: () => number;
  readonly counts = { requests: 0, forwarded: 0 };
  readonly injected: Record<FaultKind, number> = {
    throttle: 0,
    serverError: 0,
    drop: 0,
    dropResponse: 0,
    delay: 0,
  };
  readonly failuresByService: Record<string, number> = {};

  constructor(options: FaultProxyOptions) {
    this.enabled = options.enabled ?? true;
    this.rates = checkRates(options.rates ?? {});
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Draws this request's fate and counts it. */
  draw(service: string): Decision {
    this.counts.requests += 1;
    const decision: Decision = this.enabled ? decide(this.rates, this.random()) : 'pass';
    if (decision !== 'pass') {
      this.injected[decision] += 1;
      this.failuresByService[service] = (this.failuresByService[service] ?? 0) + 1;
    }
    return decision;
  }

  /** How long to hold a forwarded request, counting it when it is held at all. */
  delayFor(): number {
    const delayMs = this.rates.delayMs ?? 0;
    if (!this.enabled || delayMs === 0 || this.random() >= (this.rates.delay ?? 1)) return 0;
    this.injected.delay += 1;
    return Math.round(this.random() * delayMs);
  }

  failureRate(): number {
    const { throttle, serverError, drop, dropResponse } = this.injected;
    const failures = throttle + serverError + drop + dropResponse;
    return this.counts.requests === 0 ? 0 : failures / this.counts.requests;
  }

  stats(): FaultStats {
    return {
      ...this.counts,
      injected: { ...this.injected },
      failuresByService: { ...this.failuresByService },
    };
  }
}

/** Pipes a request to the target; with `loseResponse` the answer is read and the client cut off. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  agent: Agent,
  loseResponse: boolean,
  preserveHost: boolean,
): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: preserveHost ? req.headers : { ...req.headers, host: target.host },
      agent,
    },
    (upstreamRes) => {
      if (loseResponse) {
        upstreamRes.resume();
        upstreamRes.once('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    },
  );
  upstream.on('error', () => req.socket.destroy());
  req.pipe(upstream);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: FaultState,
  target: URL,
  agent: Agent,
  preserveHost: boolean | undefined,
): Promise<void> {
  const service = serviceOf(req.headers['x-amz-target'] as string | undefined);
  const decision = state.draw(service);
  if (decision === 'drop') {
    req.socket.destroy();
    return;
  }
  if (decision === 'throttle' || decision === 'serverError') {
    req.resume();
    answer(
      res,
      decision === 'throttle'
        ? throttleResponse(service, state.random())
        : serverErrorResponse(service),
    );
    return;
  }
  const delayMs = state.delayFor();
  if (delayMs > 0) await sleep(delayMs);
  state.counts.forwarded += 1;
  forward(
    req,
    res,
    target,
    agent,
    decision === 'dropResponse',
    preserveHost ?? service === 'other',
  );
}

/**
 * Starts an HTTP proxy in front of dynalite or fauxqs that injects faults at the configured rates:
 * throttling and server errors in the service's own error shape (so the SDK's retries run),
 * delays, and connections destroyed before or after the service saw the request.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const state = new FaultState(options);
  const server = createServer((req, res) => {
    handle(req, res, state, target, agent, options.preserveHost).catch(() => req.socket.destroy());
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => state.stats(),
    failureRate: () => state.failureRate(),
    enable: () => {
      state.enabled = true;
    },
    disable: () => {
      state.enabled = false;
    },
    get enabled() {
      return state.enabled;
    },
    setRates: (next) => {
      state.rates = checkRates(next);
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
