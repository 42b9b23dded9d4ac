import { mkdtemp, rm } from 'node:fs/promises';
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
