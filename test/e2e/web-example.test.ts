import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebExample } from '../../examples/web-amplify/build.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { chromiumAvailable, createSchedule, launchChromium } from './e2e-helpers.js';

const hasChromium = chromiumAvailable('the web example browser test');

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

async function serveStatic(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(dir, path === '/' ? 'index.html' : path.slice(1));
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe.skipIf(!hasChromium)('the Amplify JS v6 web example in Debian chromium', () => {
  let stack: LocalStack;
  let browser: Browser;
  let site: Server;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'web-example-'));
    await buildWebExample(dir);
    site = await serveStatic(dir);
    stack = await startLocalStack({ memory: true, port: 0, quiet: true });
    // Amplify always subscribes over wss://, and the local stack's TLS certificate is self-signed.
    browser = await launchChromium(['--ignore-certificate-errors']);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    site?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('schedules, lists, cancels and receives the fired event live', async () => {
    // Prepare
    const toCancel = await createSchedule(stack, {
      delaySeconds: 7200,
      payload: '{"cancel":"me"}',
    });
    const page = await browser.newPage();
    const { port } = site.address() as AddressInfo;
    const query = new URLSearchParams({ endpoint: stack.httpsGraphqlUrl, apiKey: stack.apiKey });
    await page.goto(`http://127.0.0.1:${port}/?${query.toString()}`);
    await page.locator('#status', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });

    // Act
    await page.fill('#delay', '1');
    await page.fill('#payload', '{"from":"amplify-example"}');
    await page.click('#create button');
    const fired = page.locator('[data-testid="fired-item"]', {
      hasText: '{"from":"amplify-example"}',
    });
    await fired.waitFor({ timeout: 20_000 });
    await page
      .locator('[data-testid="pending-item"]', { hasText: '{"cancel":"me"}' })
      .locator('[data-testid="cancel"]')
      .click();
    await page
      .locator('[data-testid="pending-item"]', { hasText: '{"cancel":"me"}' })
      .waitFor({ state: 'detached', timeout: 10_000 });

    // Assess
    expect(await fired.textContent()).toMatch(/lateness -?\d+ ms/);
    const status = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey },
      body: JSON.stringify({
        query: 'query($id: ID!) { schedule(id: $id) { status } }',
        variables: { id: toCancel },
      }),
    });
    expect(await status.json()).toEqual({ data: { schedule: { status: 'CANCELLED' } } });
  });

  it('creates with a key and labels, and snoozes it 5 minutes with rescheduleSchedule', async () => {
    // Prepare
    const page = await browser.newPage();
    const { port } = site.address() as AddressInfo;
    const query = new URLSearchParams({ endpoint: stack.httpsGraphqlUrl, apiKey: stack.apiKey });
    await page.goto(`http://127.0.0.1:${port}/?${query.toString()}`);
    await page.locator('#status', { hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    const byKey = async () => {
      const response = await fetch(stack.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey },
        body: JSON.stringify({
          query: '{ schedule(key: "snooze-me") { id dueAt labels status } }',
        }),
      });
      return ((await response.json()) as { data: { schedule: Record<string, unknown> | null } })
        .data.schedule;
    };

    // Act
    await page.fill('#delay', '3600');
    await page.fill('#payload', '{"snooze":"me"}');
    await page.fill('#key', 'snooze-me');
    await page.fill('#labels', 'web, demo');
    await page.click('#create button');
    const row = page.locator('[data-testid="pending-item"]', { hasText: 'key snooze-me' });
    await row.waitFor({ timeout: 10_000 });
    const created = await byKey();
    const rowText = await row.textContent();
    await row.locator('[data-testid="snooze"]').click();
    await page
      .locator(`[data-testid="pending-item"][data-id="${String(created?.['id'])}"]`)
      .waitFor({ state: 'detached', timeout: 10_000 });
    const snoozed = await byKey();

    // Assess
    expect(rowText).toContain('key snooze-me [web, demo] {"snooze":"me"}');
    expect(created).toMatchObject({ labels: ['web', 'demo'], status: 'PENDING' });
    expect(snoozed?.['id']).not.toBe(created?.['id']);
    expect(Date.parse(String(snoozed?.['dueAt'])) - Date.parse(String(created?.['dueAt']))).toBe(
      300_000,
    );
    expect(await row.textContent()).toContain(String(snoozed?.['dueAt']));
    await page.close();
  });
});
