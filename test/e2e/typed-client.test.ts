import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import {
  createSchedulerClient,
  SchedulerError,
  type ScheduleFiredEvent,
} from '../../src/client/index.js';
import { loadDevKeys, verifyDevToken } from '@precise-scheduler/appsync-local';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { waitFor } from './e2e-helpers.js';

function capture() {
  const lines: string[] = [];
  return { lines, line: (text: string) => lines.push(text) };
}

describe('typed client and CLI against a started local stack', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, port: 0, quiet: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('creates, watches the firing, and gets a fired schedule (API key)', async () => {
    // Prepare
    const client = createSchedulerClient({
      endpoint: stack.graphqlUrl,
      auth: { type: 'apiKey', apiKey: stack.apiKey },
    });
    const watch = await client.watch();
    const events: ScheduleFiredEvent[] = [];
    void (async () => {
      for await (const event of watch) events.push(event);
    })();

    // Act
    const created = await client.create({ delaySeconds: 1, payload: { order: 42 } });
    await waitFor('the fired event', () => events.some((event) => event.id === created.id), 20_000);
    watch.close();

    // Assess
    const event = events.find((e) => e.id === created.id);
    expect(JSON.parse(event?.payload ?? 'null')).toEqual({ order: 42 });
    expect(event?.latenessMs).toBeGreaterThanOrEqual(0);
    expect(event?.latenessMs).toBeLessThan(5000);
    expect((await client.get(created.id))?.status).toBe('FIRED');
  });

  it('pages through pending schedules and cancels, with typed errors (JWT)', async () => {
    // Prepare
    const client = createSchedulerClient({
      endpoint: stack.graphqlUrl,
      auth: { type: 'jwt', token: await stack.mintToken('client-test-user') },
    });
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(await client.create({ delaySeconds: 3600 + i, payload: { i } }));

    // Act
    const listed = [];
    for await (const schedule of client.pending({ pageSize: 2 })) listed.push(schedule.id);
    const cancelled = await client.cancel(created[0]!.id);
    const again = await client.cancel(created[0]!.id).catch((error: unknown) => error);
    const invalid = await client.create({ payload: 1 }).catch((error: unknown) => error);

    // Assess
    expect(listed).toEqual(created.map((schedule) => schedule.id));
    expect(cancelled.status).toBe('CANCELLED');
    expect(again).toBeInstanceOf(SchedulerError);
    expect((again as SchedulerError).errorType).toBe('AlreadyCancelledError');
    expect((invalid as SchedulerError).errorType).toBe('ValidationError');
    expect((invalid as SchedulerError).message).toContain(
      'exactly one of input.dueAt and input.delaySeconds',
    );
  });

  it('signs with IAM credentials, and is refused with wrong ones', async () => {
    // Prepare
    const iam = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      createSchedulerClient({
        endpoint: stack.graphqlUrl,
        auth: { type: 'iam', region: 'us-east-1', credentials },
      });

    // Act
    const created = await iam(stack.iamCredentials).create({ delaySeconds: 600, payload: 'iam' });
    const refused = await iam({
      accessKeyId: stack.iamCredentials.accessKeyId,
      secretAccessKey: 'wrong',
    })
      .get(created.id)
      .catch((error: unknown) => error);

    // Assess
    expect(created.owner).toMatch(/^iam:/);
    expect(refused).toBeInstanceOf(SchedulerError);
    expect((refused as SchedulerError).errorType).toMatch(/Unauthorized/);
  });

  it('runs the CLI: schedule, get, pending, cancel, watch', async () => {
    // Prepare
    const flags = ['--endpoint', stack.graphqlUrl, '--api-key', stack.apiKey, '--json'];
    const out = capture();
    const errors = capture();

    // Act + Assess
    expect(
      await runCli(['schedule', '--in', '2h', '--payload', '{"cli":true}', ...flags], out, errors),
    ).toBe(0);
    const scheduled = JSON.parse(out.lines.pop() ?? '{}') as { id: string; status: string };
    expect(scheduled.status).toBe('PENDING');

    expect(await runCli(['get', scheduled.id, ...flags], out, errors)).toBe(0);
    expect(JSON.parse(out.lines.pop() ?? '{}')).toMatchObject({
      id: scheduled.id,
      payload: '{"cli":true}',
    });

    expect(await runCli(['pending', ...flags], out, errors)).toBe(0);
    expect(out.lines.map((line) => (JSON.parse(line) as { id: string }).id)).toContain(
      scheduled.id,
    );

    expect(await runCli(['cancel', scheduled.id, ...flags], out, errors)).toBe(0);
    expect(await runCli(['cancel', scheduled.id, ...flags], out, errors)).toBe(1);
    expect(errors.lines.pop()).toMatch(/^error: AlreadyCancelledError: /);

    const watched = capture();
    const controller = new AbortController();
    const watching = runCli(['watch', ...flags], watched, errors, {}, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await runCli(['schedule', '--in', '1s', '--payload', '"ping"', ...flags], out, errors);
    await waitFor('a watched line', () => watched.lines.length > 0, 20_000);
    controller.abort();
    expect(await watching).toBe(0);
    expect(JSON.parse(watched.lines[0] ?? '{}')).toMatchObject({ payload: '"ping"' });
  });

  it('mints a dev token from a data dir that the stack would accept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scheduler-token-'));
    try {
      const out = capture();
      expect(
        await runCli(['token', 'alice', '--ttl', '5m', '--data-dir', dir], out, capture(), {}),
      ).toBe(0);
      const identity = await verifyDevToken(
        (await loadDevKeys(dir)).jwtSecret,
        out.lines[0] ?? '',
        '127.0.0.1',
      );
      expect(identity.username).toBe('alice');
      expect(Number(identity.claims['exp']) - Number(identity.claims['iat'])).toBe(300);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Polls an async check until it holds, or fails naming what it waited for. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('typed client and CLI: keys, reschedule, history, bulk and filtered watch', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, port: 0, quiet: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  /** A client of a user of its own, so lists see only this test's schedules. */
  const clientOf = async (user: string) =>
    createSchedulerClient({
      endpoint: stack.graphqlUrl,
      auth: { type: 'jwt', token: await stack.mintToken(user) },
    });

  it('createMany of 60 with 2 bad inputs: 58 created in input order and 2 errors; cancelMany', async () => {
    // Prepare
    const client = await clientOf('bulk-user');
    const requests = Array.from({ length: 60 }, (_, i) =>
      i === 7
        ? { payload: { i } } // neither dueAt nor delaySeconds
        : i === 41
          ? { delaySeconds: 3600, payload: { i }, labels: ['not a label!'] }
          : { delaySeconds: 3600 + i, payload: { i }, labels: ['bulk'] },
    );
    const progress: number[] = [];

    // Act
    const results = await client.createMany(requests, {
      chunkSize: 25,
      concurrency: 2,
      onProgress: (p) => progress.push(p.done),
    });
    const created = results.flatMap((r) => (r.ok ? [r.schedule] : []));
    const cancelled = await client.cancelMany([created[0]!.id, 'nope', created[0]!.id]);

    // Assess
    expect(results).toHaveLength(60);
    expect(created).toHaveLength(58);
    results.forEach((result, i) => {
      if (i === 7 || i === 41) expect(result).toMatchObject({ ok: false });
      else if (result.ok) expect(JSON.parse(result.schedule.payload)).toEqual({ i });
      else expect.fail(`item ${i} failed: ${JSON.stringify(result.error)}`);
    });
    const errorOf = (i: number) => (results[i]?.ok === false ? results[i].error : null);
    expect(errorOf(7)).toMatchObject({ errorType: 'ValidationError' });
    expect(errorOf(41)?.errorType).toBe('ValidationError');
    expect(errorOf(41)?.message).toContain('not a label!');
    expect(progress.at(-1)).toBe(60);
    // An id repeated within one call gets the same answer: that request's own cancel.
    expect(cancelled.map((r) => [r.id, r.ok])).toEqual([
      [created[0]!.id, true],
      ['nope', false],
      [created[0]!.id, true],
    ]);
    expect(cancelled[1]?.ok === false && cancelled[1].error.errorType).toBe('NotFoundError');
    const again = await client.cancelMany([created[0]!.id]);
    expect(again[0]?.ok === false && again[0].error.errorType).toBe('AlreadyCancelledError');
  });

  it('reschedules by key: getByKey answers the new id with the same key, the old one is RESCHEDULED', async () => {
    // Prepare
    const client = await clientOf('reschedule-user');
    const original = await client.create({
      delaySeconds: 3600,
      payload: { order: 7 },
      key: 'order-7',
      labels: ['orders'],
      deliver: ['QUEUE'],
    });

    // Act
    const moved = await client.reschedule({ key: 'order-7', delaySeconds: 7200 });
    const byKey = await client.getByKey('order-7');
    const old = await client.get(original.id);
    const cancelled = await client.cancelByKey('order-7');
    const missing = await client.cancelByKey('order-7').catch((error: unknown) => error);

    // Assess
    expect(moved.id).not.toBe(original.id);
    expect(Date.parse(moved.dueAt) - Date.parse(original.dueAt)).toBeGreaterThan(3_500_000);
    expect(byKey).toMatchObject({ id: moved.id, key: 'order-7', labels: ['orders'] });
    expect(byKey?.deliver).toEqual(['QUEUE']);
    expect(old).toMatchObject({ status: 'RESCHEDULED', rescheduledTo: moved.id });
    expect(cancelled).toMatchObject({ id: moved.id, status: 'CANCELLED' });
    expect((missing as SchedulerError).errorType).toBe('AlreadyCancelledError');
  });

  it('lists history by status and label, one page at a time and over every page', async () => {
    // Prepare
    const client = await clientOf('history-user');
    const keep = await client.create({ delaySeconds: 3600, payload: 1, labels: ['a'] });
    const drop = await client.create({ delaySeconds: 3601, payload: 2, labels: ['a', 'b'] });
    await client.create({ delaySeconds: 3602, payload: 3, labels: ['b'] });
    await client.cancel(drop.id);

    // Act
    const labelA: string[] = [];
    for await (const s of client.listAll({ label: 'a' }, { limit: 1 })) labelA.push(s.id);
    const cancelled = await client.list({ status: 'CANCELLED', label: 'a' });
    const newestFirst = await client.list({ label: 'a' }, { order: 'DESC', limit: 10 });

    // Assess
    expect(labelA).toEqual([keep.id, drop.id]);
    expect(cancelled.items.map((s) => s.id)).toEqual([drop.id]);
    expect(newestFirst.items.map((s) => s.id)).toEqual([drop.id, keep.id]);
  });

  it('watches with a label filter and a handler: only the labelled schedule arrives', async () => {
    // Prepare
    const client = await clientOf('watch-user');
    const events: ScheduleFiredEvent[] = [];
    const handle = await client.watch({ label: 'wanted' }, (event) => {
      events.push(event);
    });

    // Act
    const other = await client.create({ delaySeconds: 1, payload: 'other', labels: ['else'] });
    const wanted = await client.create({
      delaySeconds: 1,
      payload: 'wanted',
      key: 'w-1',
      labels: ['wanted'],
    });
    await waitFor('the labelled event', () => events.length > 0, 20_000);
    await until('the other to fire', async () => (await client.get(other.id))?.status === 'FIRED');
    handle.close();
    await handle.done;

    // Assess
    expect(events.map((e) => [e.id, e.key, e.labels])).toEqual([[wanted.id, 'w-1', ['wanted']]]);
  });

  it('CLI schedule --file: creates the good lines, names the bad ones by line number, exits 1', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'scheduler-file-'));
    const file = join(dir, 'items.jsonl');
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ delaySeconds: 3600 + i, payload: { line: i + 1 }, labels: ['file'] }),
    );
    lines[4] = '{"delaySeconds": 60, "payload":'; // line 5: not JSON
    lines[11] = JSON.stringify({ payload: 'no due time' }); // line 12: refused by the API
    await writeFile(file, `${lines.join('\n')}\n\n`);
    const flags = ['--endpoint', stack.graphqlUrl, '--jwt', await stack.mintToken('file-user')];
    const out = capture();
    const errors = capture();
    const terminal: string[] = [];
    const tty = { ...capture(), isTTY: true, write: (text: string) => terminal.push(text) };

    // Act
    const code = await runCli(['schedule', '--file', file, ...flags], out, errors, {});
    const listed = capture();
    await runCli(['list', '--label', 'file', '--json', ...flags], listed, capture(), {});
    await runCli(['schedule', '--file', file, ...flags], capture(), tty, {});
    await rm(dir, { recursive: true, force: true });

    // Assess
    expect(code).toBe(1);
    expect(out.lines).toEqual(['created 28, failed 2']);
    expect(errors.lines.filter((l) => l.startsWith('line '))).toEqual([
      expect.stringMatching(/^line 5: ValidationError: not valid JSON/),
      expect.stringMatching(/^line 12: ValidationError: .*dueAt/),
    ]);
    // 29 lines sent (line 5 never is), in two chunks: the line is redrawn in place.
    expect(terminal).toEqual([
      expect.stringMatching(/^\r\d+\/29 sent: /),
      '\r29/29 sent: 28 created, 1 failed',
      '\n',
    ]);
    const payloads = listed.lines.map(
      (l) => JSON.parse((JSON.parse(l) as { payload: string }).payload) as { line: number },
    );
    expect(payloads.map((p) => p.line)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1).filter((n) => n !== 5 && n !== 12),
    );
  });

  it('CLI: schedule with a key, replace it, reschedule, get and cancel by key, list by status and label', async () => {
    // Prepare
    const flags = ['--endpoint', stack.graphqlUrl, '--jwt', await stack.mintToken('cli-key-user')];
    const out = capture();
    const errors = capture();
    const json = async (argv: string[]) => {
      expect(
        await runCli([...argv, ...flags, '--json'], out, errors, {}),
        errors.lines.join('\n'),
      ).toBe(0);
      return JSON.parse(out.lines.pop() ?? '{}') as {
        id: string;
        status: string;
        key: string;
        labels: string[];
        deliver: string[];
      };
    };

    // Act
    const first = await json([
      'schedule',
      '--in',
      '2h',
      '--payload',
      '1',
      '--key',
      'cli-k',
      '--label',
      'x',
      '--label',
      'y',
      '--deliver',
      'queue',
    ]);
    const replaced = await json([
      'schedule',
      '--in',
      '3h',
      '--payload',
      '2',
      '--key',
      'cli-k',
      '--on-conflict',
      'replace',
      '--label',
      'x',
    ]);
    const moved = await json(['reschedule', '--key', 'cli-k', '--in', '4h']);
    const got = await json(['get', '--key', 'cli-k']);
    const table = capture();
    const listCode = await runCli(
      ['list', '--status', 'rescheduled', '--label', 'x', ...flags],
      table,
      errors,
      {},
    );
    const cancelled = await json(['cancel', '--key', 'cli-k']);
    const newest = capture();
    await runCli(
      [
        'list',
        '--status',
        'cancelled,rescheduled',
        '--label',
        'x',
        '--order',
        'desc',
        '--limit',
        '2',
        '--json',
        ...flags,
      ],
      newest,
      errors,
      {},
    );

    // Assess
    expect(first).toMatchObject({ key: 'cli-k', labels: ['x', 'y'], deliver: ['QUEUE'] });
    expect(replaced.id).not.toBe(first.id);
    expect(moved).toMatchObject({ key: 'cli-k', labels: ['x'] });
    expect(got.id).toBe(moved.id);
    expect(listCode).toBe(0);
    const rendered = table.lines.join('\n');
    expect(rendered).toMatch(/^id\s+due\s+status\s+key\s+labels\s+payload/);
    expect(rendered).toContain(first.id);
    expect(rendered).toContain(replaced.id);
    expect(rendered).not.toContain(moved.id);
    expect(
      rendered
        .split('\n')
        .slice(2)
        .every((row) => row.includes('RESCHEDULED')),
    ).toBe(true);
    expect(cancelled).toMatchObject({ id: moved.id, status: 'CANCELLED' });
    expect(newest.lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([
      moved.id,
      replaced.id,
    ]);
  });
});
