/*
 * Raw WebSocket clients for the protocol-abuse suites: they send any text, keep every frame the
 * server sends (as text and parsed) and the close code, so a test can assert on what a hostile
 * client would see.
 */
import WebSocket from 'ws';

/** A frame the server sent, parsed. */
export interface Frame {
  readonly type: string;
  readonly id?: unknown;
  readonly payload?: unknown;
}

/** A raw socket and what it received. */
export interface RawClient {
  readonly frames: Frame[];
  /** Every frame as the server sent it. */
  readonly texts: string[];
  /** Close code, once closed. */
  closeCode: number | undefined;
  send(text: string): void;
  /** Resolves with the first frame after `from` that matches, or rejects after `timeoutMs`. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs?: number, from?: number): Promise<Frame>;
  waitClosed(timeoutMs?: number): Promise<number>;
  close(): void;
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function open(url: string, protocols: string[]): Promise<RawClient> {
  const socket = new WebSocket(url, protocols);
  const client: RawClient = {
    frames: [],
    texts: [],
    closeCode: undefined,
    send: (text) => socket.send(text),
    waitFor: (match, timeoutMs = 10_000, from = 0) =>
      until('a matching frame', () => client.frames.slice(from).find(match), timeoutMs),
    waitClosed: (timeoutMs = 10_000) => until('the close', () => client.closeCode, timeoutMs),
    close: () => socket.close(),
  };
  socket.on('message', (data) => {
    const text = String(data);
    client.texts.push(text);
    client.frames.push(JSON.parse(text) as Frame);
  });
  socket.on('close', (code) => (client.closeCode = code));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return client;
}

/** Opens /graphql/realtime as Amplify JS v6 does (auth JSON in the `header-` subprotocol). */
export function openRealtimeRaw(url: string, auth: Record<string, string>): Promise<RawClient> {
  const header = Buffer.from(JSON.stringify(auth)).toString('base64url');
  return open(url, ['graphql-ws', `header-${header}`]);
}

/** Opens /graphql with the graphql-ws library's protocol, and acknowledges the connection. */
export async function openGraphqlWsRaw(url: string, apiKey: string): Promise<RawClient> {
  const client = await open(url, ['graphql-transport-ws']);
  client.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': apiKey } }));
  await client.waitFor((frame) => frame.type === 'connection_ack');
  return client;
}

/** The errors of an error frame (AppSync real-time: payload.errors; graphql-ws: payload). */
export function errorsOf(
  frame: Frame,
): { errorType?: string; message: string; extensions?: { errorType?: string } }[] {
  const payload = frame.payload as { errors?: unknown } | unknown[] | undefined;
  const errors = Array.isArray(payload) ? payload : (payload as { errors?: unknown })?.errors;
  return (errors ?? []) as { errorType?: string; message: string }[];
}
