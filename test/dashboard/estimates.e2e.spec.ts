import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';
import { launchChromium } from './browser.js';

/**
 * Post-processed estimates in a real headless Chromium against a real consortium: off until
 * asked for, then labelled as estimates (never as the release), beside the released values,
 * with the error measured by simulation.
 */
describe('post-processed estimates in the dashboard', () => {
  let run: RunningConsortium;
  let browser: Browser;

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([
      startRunningConsortium({ seed: '9090' }),
      launchChromium(),
    ]);
    if (started.status === 'fulfilled') run = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  }, 30_000);

  it('shows labelled estimates beside the released values only when toggled on', async () => {
    const issued = await run.admin.request<{ token: string }>('POST', '/admin/tokens', {
      name: 'estimates-analyst',
      role: 'analyst',
    });
    expect(issued.status).toBe(201);
    const created = await run.client.request<{ id: string }>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    expect(created.status).toBe(202);
    await run.client.waitForReport(created.body.id);

    const page = await (await browser.newContext({ reducedMotion: 'reduce' })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${run.coordinator.url}/`);
    await page.getByLabel('API token').fill(issued.body.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#role-badge[data-role="analyst"]');
    await page.goto(`${run.coordinator.url}/#/reports/${created.body.id}`);
    await page.waitForSelector('[data-report-state="completed"]', { timeout: 30_000 });

    const toggle = page.getByLabel('Show post-processed estimates');
    await toggle.waitFor();
    expect(await page.locator('[data-estimates]').count()).toBe(0);
    await toggle.check();
    const table = page.locator('table[data-estimates-table="boardings"]');
    await table.waitFor();
    const headers = await table.locator('thead th').allTextContents();
    expect(headers).toEqual([
      'Cell',
      'Released value (the release)',
      'Post-processed estimate (not the release)',
    ]);
    const stated = await page.locator('[data-stated-error]').first().textContent();
    expect(stated).toContain('measured by simulation');
    const estimates = await table.locator('tbody td:nth-child(3)').allTextContents();
    expect(estimates.length).toBeGreaterThan(0);
    expect(estimates.every((t) => !t.startsWith('−') && !t.startsWith('-'))).toBe(true);

    await toggle.uncheck();
    expect(await page.locator('[data-estimates]').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
