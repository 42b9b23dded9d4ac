import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { chromiumAvailable, createSchedule, launchChromium } from './e2e-helpers.js';

const hasChromium = chromiumAvailable('the console browser test');

describe.skipIf(!hasChromium)('web console in a real browser (Debian chromium)', () => {
  let stack: LocalStack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, port: 0, quiet: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('creates a schedule, shows it fired live with its lateness, and cancels another', async () => {
    // Prepare
    const page = await browser.newPage();
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(request.url()));
    const farAway = await createSchedule(stack, { delaySeconds: 7200, payload: '{"cancel":"me"}' });
    await page.goto(stack.consoleUrl);
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 10_000 });

    // Act
    await page.fill('#delay', '1');
    await page.fill('#payload', '{"from":"browser"}');
    await page.click('#create');
    const firedRow = page.locator('#fired tr', { hasText: '{"from":"browser"}' });
    await firedRow.waitFor({ timeout: 15_000 });
    const pendingRow = page.locator(`#pending tr[data-id="${farAway}"]`);
    await pendingRow.locator('button.cancel').click();
    await pendingRow.waitFor({ state: 'detached', timeout: 5000 });

    // Assess
    const lateness = await firedRow.locator('td').nth(1).textContent();
    expect(lateness).toMatch(/^\d+ ms$/);
    expect(Number(lateness?.split(' ')[0])).toBeLessThan(3000);
    expect(await page.textContent('#create-status')).toContain(`cancelled ${farAway}`);
    expect(failedRequests).toEqual([]);
    await page.close();
  });

  it('creates with labels, reschedules a pending schedule, and shows it in the history by status', async () => {
    // Prepare
    const page = await browser.newPage();
    await page.goto(stack.consoleUrl);
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 10_000 });
    await page.fill('#delay', '3600');
    await page.fill('#payload', '{"labelled":true}');
    await page.fill('#labels', 'alpha, beta ,');
    await page.click('#create');
    await page.locator('#create-status', { hasText: 'scheduled ' }).waitFor({ timeout: 5000 });
    const oldId = /scheduled (\S+) for/.exec((await page.textContent('#create-status')) ?? '')?.[1];
    const oldRow = page.locator(`#pending tr[data-id="${oldId}"]`);
    await oldRow.waitFor({ timeout: 5000 });
    const labels = await oldRow.locator('td.labels').textContent();

    // Act
    await oldRow.locator('button.reschedule').click();
    await oldRow.locator('input.new-due').fill('7200');
    await oldRow.locator('button.confirm').click();
    await page.locator('#create-status', { hasText: 'rescheduled ' }).waitFor({ timeout: 5000 });
    const newId = / to (\S+) for/.exec((await page.textContent('#create-status')) ?? '')?.[1];
    await page.locator(`#pending tr[data-id="${newId}"]`).waitFor({ timeout: 5000 });
    await page.selectOption('#history-status', 'RESCHEDULED');
    await page.fill('#history-label', 'alpha');
    await page.click('#history-show');
    const historyRow = page.locator(`#history tr[data-id="${oldId}"]`);
    await historyRow.waitFor({ timeout: 5000 });

    // Assess
    expect(labels).toBe('alpha, beta');
    expect(newId).toBeDefined();
    expect(newId).not.toBe(oldId);
    expect(await oldRow.count()).toBe(0);
    expect(await page.locator(`#pending tr[data-id="${newId}"] td.labels`).textContent()).toBe(
      'alpha, beta',
    );
    expect(await historyRow.locator('td.status').textContent()).toBe(`RESCHEDULED → ${newId}`);
    expect(await page.locator('#history tr').count()).toBe(1);
    await page.close();
  });
});
