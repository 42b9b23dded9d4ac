/*
 * Per-connection caps of the WebSocket endpoints (graphql-ws and AppSync real-time), and a
 * description of received values that never walks them, for error messages.
 */
import type { WebSocket } from 'ws';

/** Caps on one WebSocket connection. */
export interface ConnectionLimits {
  /**
   * Active subscriptions (and operations still starting) on one connection. AppSync's quota
   * "Subscriptions per connection" is 100; ours is the same. @default 100
   */
  readonly maxSubscriptions: number;
  /** Messages a client may send in one second; the rest are refused, not run. @default 200 */
  readonly maxMessagesPerSecond: number;
  /** Largest frame a client may send, in bytes (ws closes with 1009 above it). @default 5 MiB */
  readonly maxFrameBytes: number;
  /**
   * Bytes queued for a client that does not read; past this the connection is dropped rather
   * than buffered without bound. @default 16 MiB
   */
  readonly maxBufferedBytes: number;
  /** Longest operation id (real-time `start`/`stop`). @default 128 */
  readonly maxIdLength: number;
}

/** The caps the local endpoint applies. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxSubscriptions: 100,
  maxMessagesPerSecond: 200,
  maxFrameBytes: 5 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxIdLength: 128,
};

/** errorType of a message refused by a per-connection cap. */
export const LIMIT_EXCEEDED_ERROR_TYPE = 'LimitExceededError';

/** Counts messages in fixed one-second windows. */
export class MessageRate {
  private windowStart = 0;
  private count = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one message; false when it is over the cap for the current second. */
  take(): boolean {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    return this.count <= this.perSecond;
  }

  /** The refusal for a message over the cap. */
  refusal(): string {
    return `Message rate exceeds the limit of ${this.perSecond} messages per second on this connection; received ${this.count} in the current second`;
  }
}

/** Whether the client has stopped reading: queued output past the cap. */
export function isFlooded(socket: WebSocket, limits: ConnectionLimits): boolean {
  return socket.bufferedAmount > limits.maxBufferedBytes;
}

/**
 * A short description of a received value for an error message, in constant work: strings are
 * cut, containers are counted, never serialized (a deep value would overflow the stack).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = JSON.stringify(value.slice(0, 60));
    return value.length > 60 ? `${shown}... (${value.length} characters)` : shown;
  }
  if (Array.isArray(value)) return `an array of ${value.length} elements`;
  if (typeof value === 'object') return `an object with ${Object.keys(value).length} keys`;
  return `${typeof value} ${String(value)}`;
}
