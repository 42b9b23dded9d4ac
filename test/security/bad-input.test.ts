import { request } from 'node:http';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import {
  CREATE_SCHEDULE,
  mapLimit,
  postGraphql,
  postRaw,
  scanTable,
  type GraphqlReply,
} from '../helpers/reliability-stack.js';
import {
  ON_FIRED,
  createSchedule,
  readOutputQueue,
  waitFor,
  type FiredEvent,
} from '../e2e/e2e-helpers.js';
import { generateCorpus, type CorpusEntry } from './bad-input-corpus.js';

const CORPUS_SIZE = Number(process.env['BAD_INPUT_CORPUS_SIZE'] ?? 10_000);
/** The endpoint's body cap; larger bodies are answered before they are read in full. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Posts an oversized body on a connection of its own: the endpoint answers 400 early and the
 * socket cannot be reused, so a shared keep-alive pool would see the next request reset.
 */
function postAlone(url: string, body: string, apiKey: string): Promise<GraphqlReply> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'x-api-key': apiKey } },
      (res) => {
        let raw = '';
        res.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(raw) as GraphqlReply['body'],
            raw,
          }),
        );
      },
    );
    req.on('error', (error) =>
      resolve({ status: 0, body: {}, raw: `${error.message} (oversized body)` }),
    );
    req.end(body);
  });
}

interface Verdict {
  readonly problem?: string;
  readonly acceptedId?: string;
}

/** Texts of the runtime's or a helper's insides, which no client should ever read. */
const INTERNAL_TEXTS = [
  'Maximum call stack size exceeded',
  'Cannot read properties of',
  'is not a function',
  'TypeError',
  'ReferenceError',
  'RangeError',
  'HelperArgumentError',
  'util.time.',
];

function judgeErrors(reply: GraphqlReply): string | undefined {
  const errors = reply.body.errors ?? [];
  for (const error of errors) {
    if (typeof error.errorType !== 'string' || error.errorType === '')
      return `error without errorType: ${JSON.stringify(error).slice(0, 300)}`;
    if (typeof error.message !== 'string' || error.message === '') return 'error without message';
    if (error.errorType === 'Code') return `errorType Code: ${error.message.slice(0, 300)}`;
    const leaked = INTERNAL_TEXTS.find((text) => error.message!.includes(text));
    if (leaked !== undefined) return `internal text "${leaked}": ${error.message.slice(0, 300)}`;
  }
  return undefined;
}

/** What is wrong with one reply, if anything, and the id of a schedule it accepted. */
function judge(entry: CorpusEntry, reply: GraphqlReply): Verdict {
  if (reply.status >= 500) return { problem: `HTTP ${reply.status}: ${reply.raw.slice(0, 200)}` };
  if (reply.status !== 200 && reply.body.errors === undefined) {
    return { problem: `HTTP ${reply.status} without a GraphQL error body` };
  }
  const problem = judgeErrors(reply);
  if (problem !== undefined) return { problem };
  if (reply.status === 200 && reply.body.errors === undefined && reply.body.data == null) {
    return { problem: 'neither data nor errors' };
  }
  const created = reply.body.data?.['createSchedule'] as { id: string; dueAt: string } | null;
  if (created == null) return {};
  if (entry.expectedPayload === null) {
    return {
      problem: `accepted a payload no channel can carry unchanged: ${entry.body.slice(0, 200)}`,
      acceptedId: created.id,
    };
  }
  if (entry.expectedDueAtMs === null) {
    return {
      problem: `accepted a due time that is no valid instant: ${entry.body.slice(0, 200)}`,
      acceptedId: created.id,
    };
  }
  if (entry.expectedDueAtMs !== undefined && Date.parse(created.dueAt) !== entry.expectedDueAtMs) {
    return {
      problem: `stored ${created.dueAt} for ${entry.body.slice(0, 200)}`,
      acceptedId: created.id,
    };
  }
  return { acceptedId: created.id };
}

describe(`bad-input corpus of ${CORPUS_SIZE} hostile requests over HTTP`, () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({
      memory: true,
      port: 0,
      quiet: true,
      feederIntervalSeconds: 3600,
      pollers: 1,
      pollWaitSeconds: 1,
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it(
    'answers every request with a clear error or a correct result, and writes nothing else',
    { timeout: 300_000 },
    async () => {
      // Prepare
      const corpus = generateCorpus(CORPUS_SIZE, 20_261_123, Date.now());
      const problems = new Map<string, string[]>();
      const accepted = new Set<string>();
      const expectedPayloads = new Map<string, string>();
      const statuses = new Map<number, number>();
      // Act
      await mapLimit(corpus, 8, async (entry) => {
        const send =
          entry.body.length > MAX_BODY_BYTES
            ? postAlone(stack.graphqlUrl, entry.body, stack.apiKey)
            : postRaw(stack.graphqlUrl, entry.body, { apiKey: stack.apiKey });
        const reply = await send.catch((error: Error) => ({
          status: 0,
          body: {},
          raw: `${error.message} ${String(error.cause)}`,
        }));
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        const verdict =
          reply.status === 0 ? { problem: `no answer: ${reply.raw}` } : judge(entry, reply);
        if (verdict.acceptedId !== undefined) accepted.add(verdict.acceptedId);
        if (verdict.acceptedId !== undefined && typeof entry.expectedPayload === 'string') {
          expectedPayloads.set(verdict.acceptedId, entry.expectedPayload);
        }
        if (verdict.problem !== undefined) {
          problems.set(entry.kind, [...(problems.get(entry.kind) ?? []), verdict.problem]);
        }
      });
      const items = await scanTable(stack.dynamoEndpoint, stack.tableName);
      const stored = items
        .filter((item) => typeof item['status'] === 'string')
        .map((item) => String(item['id']));
      const healthy = await postGraphql(
        stack.graphqlUrl,
        CREATE_SCHEDULE,
        { input: { delaySeconds: 600, payload: '{}' } },
        { apiKey: stack.apiKey },
      );
      // Assess
      console.info(
        `bad-input corpus: ${corpus.length} requests, HTTP statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${accepted.size} accepted`,
      );
      expect(
        Object.fromEntries(
          [...problems].map(([kind, list]) => [kind, [...new Set(list)].slice(0, 12)]),
        ),
      ).toEqual({});
      expect(new Set(stored)).toEqual(accepted);
      const changed = items
        .filter((item) => expectedPayloads.has(String(item['id'])))
        .filter((item) => item['payload'] !== expectedPayloads.get(String(item['id'])))
        .map((item) => ({
          stored: item['payload'],
          sent: expectedPayloads.get(String(item['id'])),
        }));
      expect(changed).toEqual([]);
      expect(expectedPayloads.size).toBeGreaterThan(0);
      const danglingTokens = items.filter(
        (item) => String(item['pk']).startsWith('t#') && !accepted.has(String(item['scheduleId'])),
      );
      expect(danglingTokens).toEqual([]);
      expect(healthy.body.errors).toBeUndefined();
    },
  );
});

describe('payload characters arrive exactly on every channel (local stack, fast and far path)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    // A one-second fast-path horizon sends a 3-second delay down the far path (feeder).
    stack = await startLocalStack({
      memory: true,
      port: 0,
      quiet: true,
      feederIntervalSeconds: 1,
      env: { FAST_PATH_HORIZON_SECONDS: '1' },
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('delivers emoji, U+FFFE, U+FFFF, C0 controls and astral characters unchanged', async () => {
    // Prepare
    const payload = JSON.stringify({
      m: 'hi 😀 \ufffe\uffff \u0000\u0001\u0008\u000b\u001f\t\r\n 𝕏\u{10ffff}\ud7ff\ue000',
      ['key 😀\u0002\ufffe']: ['\u{1f600}', 1.5, -7],
    });
    const received: FiredEvent[] = [];
    const client = createClient({
      url: stack.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': stack.apiKey },
    });
    client.subscribe<{ onScheduleFired: FiredEvent }>(
      { query: ON_FIRED },
      {
        next: (result) => {
          if (result.data?.onScheduleFired) received.push(result.data.onScheduleFired);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Act
    const fast = await createSchedule(stack, { delaySeconds: 0, payload });
    const far = await createSchedule(stack, { delaySeconds: 3, payload });
    await waitFor(
      'both subscription events',
      () => [fast, far].every((id) => received.some((event) => event.id === id)),
      20_000,
    );
    const output = await readOutputQueue(stack, [fast, far], 20_000);
    await client.dispose();

    // Assess
    for (const id of [fast, far]) {
      expect(received.find((event) => event.id === id)?.payload).toBe(payload);
      expect(output.get(id)?.payload).toBe(payload);
    }
  });
});
