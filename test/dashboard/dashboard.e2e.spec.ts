import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';
import { type PrintedReport, privacyLines } from '../../apps/agency-node/src/demo/report-table.js';
import { launchChromium } from './browser.js';
import { decodePng, ink } from './png.js';

interface Report {
  id: string;
  state: string;
  outputs: {
    name: string;
    values: string[];
    intervalHalfWidth: string;
    sliceHalfWidths: { cells: number; halfWidth: string }[];
  }[];
  grid: { name: string; values: string[] }[];
  derived: { name: string; values: (string | null)[]; intervals: ([string, string] | null)[] }[];
}

/**
 * The dashboard in a real headless Chromium against a real coordinator and three agency node
 * processes: sign in, request a report, watch it run, read its charts, table and transcript, and
 * what other roles and wrong tokens get.
 */
describe('the dashboard', () => {
  let run: RunningConsortium;
  let browser: Browser;
  let analystToken: string;
  let auditorToken: string;

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([
      startRunningConsortium({ seed: '8080' }),
      launchChromium(),
    ]);
    if (started.status === 'fulfilled') run = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    analystToken = await issueToken('dashboard-analyst', 'analyst');
    auditorToken = await issueToken('dashboard-auditor', 'auditor');
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  }, 30_000);

  async function issueToken(name: string, role: 'analyst' | 'auditor'): Promise<string> {
    const issued = await run.admin.request<{ token: string }>('POST', '/admin/tokens', {
      name,
      role,
    });
    expect(issued.status).toBe(201);
    return issued.body.token;
  }

  /** A fresh page (own session storage) that records script errors and CSP violations. */
  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Expected: a refused token (401) shows up as a failed resource load.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${message.text()}`);
      }
    });
    await page.goto(`${run.coordinator.url}/`);
    return { page, problems };
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('lets an analyst request a report, watch it run, and read its charts, intervals and verified transcript', async () => {
    const { page, problems } = await openPage();
    await signIn(page, analystToken);
    await page.waitForSelector('#role-badge[data-role="analyst"]');
    expect(await page.locator('#role-badge').textContent()).toBe('analyst');

    const card = page.locator('[data-protocol="revenue-per-boarding"]');
    // The date picker offers the dates the agencies announced (GET /catalogue/coverage: the small
    // city's 30 days), with the last one preselected, and refuses another one before anything is
    // sent.
    const plusDays = (days: number): string =>
      new Date(Date.parse(`${run.serviceDate}T00:00:00Z`) + days * 86_400_000)
        .toISOString()
        .slice(0, 10);
    const held = `${run.serviceDate} to ${plusDays(29)}`;
    const coverage = card.locator('[data-coverage="serviceDate"]');
    await coverage.waitFor();
    expect(await coverage.textContent()).toContain(`Data held by every agency: ${held}`);
    const date = card.getByLabel('Service date');
    expect(await date.inputValue()).toBe(plusDays(29));
    expect([await date.getAttribute('min'), await date.getAttribute('max')]).toEqual([
      run.serviceDate,
      plusDays(29),
    ]);
    const dayAfter = plusDays(30);
    await date.fill(dayAfter);
    await card.getByRole('button', { name: 'Request report' }).click();
    expect(await card.locator('.field-error').first().textContent()).toBe(
      `No data for ${dayAfter}: the agencies hold ${held}.`,
    );
    expect(page.url()).not.toMatch(/#\/reports\//);
    await date.fill(run.serviceDate);
    expect(await card.getByLabel('Privacy budget (ρ)').inputValue()).toBe('1/2');
    expect(await card.locator('.explain').textContent()).toContain('spends ρ = 1/2');
    // Accuracy before spending: the panel shows what ρ = 1/2 buys (compared with the release
    // below) and the budget a target half-width needs.
    await card.locator('[data-accuracy="1/2"]').waitFor();
    const promisedBoardings = await card
      .locator('[data-output-accuracy="boardings"]')
      .getAttribute('data-half-width');
    const promisedEpsilon = await card
      .locator('[data-accuracy-epsilon]')
      .getAttribute('data-accuracy-epsilon');
    await card.getByLabel('Or: the budget for a 95% interval of ±').fill('40');
    await card.getByRole('button', { name: 'Find the budget' }).click();
    const needed = card.locator('[data-budget-needed]');
    await needed.waitFor();
    expect(await needed.getAttribute('data-budget-needed')).toMatch(/^\d+(\/\d+)?$/);
    expect(await needed.textContent()).toMatch(/gives ±\d+ on boardings/);

    // The states the page saw while it polled the report.
    const seen: string[] = [];
    page.on('response', (response) => {
      if (/\/reports\/[0-9a-f-]{36}$/.test(response.url())) {
        void response
          .json()
          .then((body: { state: string }) => seen.push(body.state))
          .catch(() => undefined);
      }
    });
    await card.getByRole('button', { name: 'Request report' }).click();
    await page.waitForURL(/#\/reports\/[0-9a-f-]{36}$/);
    const id = /#\/reports\/([0-9a-f-]{36})$/.exec(page.url())![1];

    await page.waitForSelector('[data-report-state="completed"]', { timeout: 60_000 });
    // Watched live: it saw the session before it finished, then polled until it completed.
    expect(seen.length).toBeGreaterThan(1);
    expect(['created', 'inviting', 'running', 'sealing']).toContain(seen[0]);
    expect(seen.at(-1)).toBe('completed');
    const steps = page.locator('.steps .step');
    expect(await steps.count()).toBe(6);
    expect(await page.locator('.steps .step[data-status="done"]').count()).toBe(6);
    expect(await page.locator('[data-step="rounds"] .step-detail').textContent()).toMatch(
      /^[1-9]\d* encrypted envelopes relayed$/,
    );

    // The chart is drawn: its screenshot is not blank.
    const canvas = page.locator('[data-chart="boardings"] canvas');
    await canvas.waitFor();
    const image = decodePng(await canvas.screenshot());
    const drawn = ink(image);
    expect(image.width).toBeGreaterThan(200);
    expect(drawn.inked / drawn.total).toBeGreaterThan(0.02);
    expect(drawn.colours).toBeGreaterThan(3);

    // The table shows exactly the released values of the first route, each ± its interval.
    const report = (await run.admin.request<Report>('GET', `/reports/${id}`)).body;
    const boardings = report.outputs.find((o) => o.name === 'boardings')!;
    const hours = report.grid.find((a) => a.name === 'hour')!.values.length;
    // A chart for every output and every derived ratio, each drawing every bar of the slice;
    // nothing says only the first N bars are drawn.
    for (const name of [...report.outputs, ...report.derived].map((x) => x.name)) {
      const chart = page.locator(`[data-chart="${name}"]`);
      await chart.locator('canvas').waitFor();
      expect(await chart.getAttribute('data-bars'), name).toBe(String(hours));
    }
    expect(await page.locator('[data-chart]').count()).toBe(
      report.outputs.length + report.derived.length,
    );
    expect(await page.locator('[data-results]').textContent()).not.toMatch(/first \d+ of \d+/i);
    // Routes in natural order (9 before 10), in the API's grid and in the route selector.
    const routeIds = report.grid.find((a) => a.name === 'route')!.values;
    expect(routeIds).toEqual(
      [...routeIds].sort(new Intl.Collator('en', { numeric: true }).compare),
    );
    const routeOptions = await page
      .getByLabel('Route', { exact: true })
      .locator('option')
      .allTextContents();
    expect(routeOptions).toEqual([...routeIds, 'All routes (sum)']);
    const table = page.locator('table[data-results-table]');
    const expected = (first: number) =>
      boardings.values
        .slice(first, first + hours)
        // A count below zero is flagged as noise, in plain view.
        .map(
          (v) =>
            `${integer(v)} ± ${integer(boardings.intervalHalfWidth)}${BigInt(v) < 0n ? ' below 0: noise' : ''}`,
        );
    expect(await table.locator('td[data-output="boardings"]').allTextContents()).toEqual(
      expected(0),
    );
    for (const text of await table.locator('td[data-output="revenue"]').allTextContents()) {
      expect(text).toMatch(
        /^(\$[\d,]+\.\d\d ± \$[\d,]+\.\d\d|−\$[\d,]+\.\d\d ± \$[\d,]+\.\d\d below 0: noise)$/,
      );
    }
    // Revenue per boarding carries its range wherever the API bounds it.
    const bounded = report.derived[0].intervals.slice(0, hours).filter((r) => r !== null).length;
    const ranges = table.locator('td[data-derived] [data-ratio-range]');
    expect(bounded).toBeGreaterThan(0);
    // The ratio's chart draws a bar for each bounded cell and says how many have none.
    const ratioChart = page.locator(`[data-chart="${report.derived[0].name}"]`);
    expect(await ratioChart.getAttribute('data-bars-missing')).toBe(String(hours - bounded));
    const ratioImage = decodePng(await ratioChart.locator('canvas').screenshot());
    expect(ink(ratioImage).inked / ink(ratioImage).total).toBeGreaterThan(0.01);
    if (bounded < hours) {
      expect(await ratioChart.locator('.hint').textContent()).toContain(
        `${hours - bounded} of ${hours} have no range and no bar`,
      );
    }
    expect(await ranges.count()).toBe(bounded);
    for (const text of await ranges.allTextContents()) {
      expect(text).toMatch(/^ −?\$[\d,]+\.\d\d – −?\$[\d,]+\.\d\d$/);
    }
    // Every ratio cell has its range or a reason anyone can read (not only a screen reader).
    const reasons = table.locator('td[data-derived] [data-ratio-reason]');
    expect(await reasons.count()).toBe(hours - bounded);
    for (const reason of await reasons.all()) {
      expect(await reason.isVisible()).toBe(true);
      expect(await reason.textContent()).toMatch(/may be zero or negative/);
    }
    // Another route: the table follows the selector.
    await page.getByLabel('Route', { exact: true }).selectOption({ index: 1 });
    await page.waitForFunction(
      `document.querySelector('td[data-output="boardings"]')?.textContent === ${JSON.stringify(expected(hours)[0])}`,
    );
    expect(await table.locator('td[data-output="boardings"]').allTextContents()).toEqual(
      expected(hours),
    );
    // All routes summed: each hour's total carries the exact interval of a sum of that many
    // cells (the API's sliceHalfWidths), and its ratio a range or a reason.
    await page.getByLabel('Route', { exact: true }).selectOption('-1');
    const routes = report.grid.find((a) => a.name === 'route')!.values.length;
    const slice = boardings.sliceHalfWidths.find((w) => w.cells === routes)!;
    expect(BigInt(slice.halfWidth)).toBeGreaterThan(BigInt(boardings.intervalHalfWidth));
    await page.waitForFunction(
      `document.querySelector('td[data-output="boardings"] .interval')?.textContent === ${JSON.stringify(`± ${integer(slice.halfWidth)}`)}`,
    );
    for (const cell of await table.locator('td[data-derived]').all()) {
      expect(
        (await cell.locator('[data-ratio-range]').count()) +
          (await cell.locator('[data-ratio-reason]').count()),
      ).toBe(1);
    }
    expect(await page.locator('[data-budget]').textContent()).toContain('spent ρ = 1/2');

    // One ε (issue 13): the API's release ε — from the total ρ = 1/2 plus ξ by the ledger's own
    // conversion, 6.475 at δ = 1e-9 — is the one the page, the ledger and the demo state.
    const privacy = (
      await run.admin.request<{ privacy: PrintedReport['privacy'] }>('GET', `/reports/${id}`)
    ).body.privacy;
    expect(privacy.rho).toBe('1/2');
    expect(privacy.epsilonText).toBe('6.475');
    expect(promisedEpsilon).toBe(privacy.epsilonText);
    expect(promisedBoardings).toBe(boardings.intervalHalfWidth);
    const releaseEpsilon = page.locator('[data-release-epsilon]');
    expect(await releaseEpsilon.getAttribute('data-release-epsilon')).toBe(privacy.epsilonText);
    expect(await releaseEpsilon.textContent()).toContain(`ε = ${privacy.epsilonText} at δ = `);
    expect(await releaseEpsilon.locator('a').getAttribute('href')).toBe(
      '/docs/privacy.md#accounting',
    );
    // Per output: its share of ρ, never a per-output ε (4.437 for ρ = 1/4 was the old figure).
    const perOutput = page.locator('table[data-privacy-outputs]');
    expect(await perOutput.locator('tbody tr').first().textContent()).toContain('1/2 (50%)');
    expect(await perOutput.textContent()).not.toContain('4.437');
    const ledger = await run.client.request<{
      buckets: { scope: string; window: string; epsilonSpentText: string }[];
    }>('GET', '/ledger');
    const bucket = ledger.body.buckets.find((b) => b.window === run.serviceDate)!;
    expect(bucket.epsilonSpentText).toBe(privacy.epsilonText);
    expect(privacyLines({ privacy } as PrintedReport).join('\n')).toContain(
      `ε = ${privacy.epsilonText} at δ = 1e-9 for the whole report (ρ = 1/2)`,
    );
    const docs = await fetch(`${run.coordinator.url}/docs/privacy.md`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('## Accounting');

    // The sealed release, downloaded from the coordinator: byte for byte what the API serves.
    for (const [format, extension] of [
      ['csv', 'csv'],
      ['arrow', 'arrows'],
    ] as const) {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`button[data-download="${format}"]`).click(),
      ]);
      expect(file.suggestedFilename()).toBe(`revenue-per-boarding-${id}.${extension}`);
      const served = await fetch(`${run.coordinator.url}/reports/${id}/download?format=${format}`, {
        headers: { authorization: `Bearer ${run.client.token}` },
      });
      const bytes = Buffer.from(await served.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(1000);
      const got = readFileSync(await file.path());
      expect(got.equals(bytes)).toBe(true);
      await page.waitForFunction(
        `document.querySelector('[data-download-status]')?.textContent === 'Downloaded revenue-per-boarding-${id}.${extension}.'`,
      );
    }

    await page.getByRole('link', { name: 'Browse the transcript and its checks' }).click();
    const verdict = page.locator('[data-verification]');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-verification')).toBe('verified');
    expect(await verdict.locator('.alert-title').textContent()).toMatch(
      /^Verified: all \d+ checks passed\.$/,
    );
    expect(await verdict.textContent()).toContain(
      'The published values are the ones the three agencies sealed.',
    );
    expect(await page.locator('table[data-seals] tbody tr').count()).toBe(3);
    const transcript = await run.admin.request<{ entries: unknown[] }>(
      'GET',
      `/sessions/${id}/transcript`,
    );
    expect(await page.locator('table[data-entries] tbody tr').count()).toBe(
      Math.min(100, transcript.body.entries.length),
    );

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(problems).toEqual([]);
  }, 30_000);

  it('narrows a report to some routes: the precision is asked for that grid and the report holds only it', async () => {
    const { page, problems } = await openPage();
    await signIn(page, analystToken);
    const card = page.locator('[data-protocol="revenue-per-boarding"]');
    const routes = card.getByLabel('Route: only these');
    await routes.waitFor();
    const all = await routes.locator('option').allTextContents();
    expect(all.length).toBeGreaterThan(2);
    expect(await card.locator('[data-axes] .hint').textContent()).toContain(
      `None selected: all ${all.length}.`,
    );
    await card.getByLabel('Privacy budget (ρ)').fill('1/10');
    await card.locator('[data-accuracy="1/10"]').waitFor();
    // The accuracy query carries the selection: the panel answers for two routes.
    const asked = page.waitForRequest(
      (r) => r.url().includes('/accuracy?') && r.url().includes('axes='),
    );
    await routes.selectOption([all[2], all[0]]);
    const query = new URL((await asked).url()).searchParams.get('axes');
    expect(JSON.parse(query!)).toEqual({ route: [all[0], all[2]] });

    await card.getByRole('button', { name: 'Request report' }).click();
    await page.waitForURL(/#\/reports\/[0-9a-f-]{36}$/);
    const id = /#\/reports\/([0-9a-f-]{36})$/.exec(page.url())![1];
    await page.waitForSelector('[data-report-state="completed"]', { timeout: 60_000 });
    const report = await run.client.request<{ outputs: { name: string; values: string[] }[] }>(
      'GET',
      `/reports/${id}`,
    );
    // Two routes × 24 hours, where the whole grid has every route.
    expect(report.body.outputs.find((o) => o.name === 'boardings')?.values).toHaveLength(48);
    expect(problems).toEqual([]);
  }, 90_000);

  it('shows an auditor reports and transcripts but no request form', async () => {
    const created = await run.client.request<{ id: string }>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/4',
    });
    expect(created.status).toBe(202);
    const { page, problems } = await openPage();
    await signIn(page, auditorToken);
    await page.waitForSelector('#role-badge[data-role="auditor"]');
    await page.locator('[data-protocol]').first().waitFor();
    expect(await page.locator('[data-protocol]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-protocol] form').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Request report' }).count()).toBe(0);
    expect(await page.getByRole('note').textContent()).toContain('needs an analyst');

    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.locator(`tr[data-report-id="${created.body.id}"]`).waitFor();
    await page.goto(`${run.coordinator.url}/#/reports/${created.body.id}/transcript`);
    await page.locator('[data-verification]').waitFor({ timeout: 30_000 });

    await page.getByRole('link', { name: 'Agencies', exact: true }).click();
    await page.locator('table[data-agencies] tbody tr').first().waitFor();
    const nodes = await page.locator('table[data-agencies] td[data-connected]').all();
    expect(await Promise.all(nodes.map((n) => n.getAttribute('data-connected')))).toEqual([
      'true',
      'true',
      'true',
    ]);
    expect(problems).toEqual([]);
  }, 30_000);

  it('says plainly when the published values differ from the sealed ones, and who aborted a session', async () => {
    const reports = await run.client.request<{ id: string; state: string }[]>('GET', '/reports');
    const completed = reports.body.find((r) => r.state === 'completed');
    expect(completed).toBeDefined();
    const { page, problems } = await openPage();
    await signIn(page, analystToken);
    await page.waitForSelector('#role-badge[data-role="analyst"]');

    // The verification as the coordinator answers once a released value was changed afterwards.
    const real = await run.client.request<{ checks: { name: string }[] }>(
      'GET',
      `/sessions/${completed!.id}/verification`,
    );
    const releaseFailed = {
      ok: false,
      outcome: 'completed',
      abort: null,
      partyAborts: [],
      charge: null,
      refund: null,
      checks: real.body.checks.map((c) =>
        c.name === 'release'
          ? { ...c, ok: false, detail: 'they do not hash to the sealed release digest', seq: 3 }
          : c,
      ),
    };
    await page.route('**/sessions/*/verification', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(releaseFailed),
      }),
    );
    await page.goto(`${run.coordinator.url}/#/reports/${completed!.id}`);
    const badge = page.locator('[data-verdict]');
    await badge.waitFor({ timeout: 30_000 });
    expect(await badge.getAttribute('data-verdict')).toBe('failed');
    expect(await badge.textContent()).toBe('Not verified');
    const section = page.locator('section', { has: badge });
    expect(await section.textContent()).toContain(
      'The published values differ from what the three agencies sealed',
    );
    expect(await section.textContent()).toContain(
      'release: they do not hash to the sealed release digest',
    );

    // An aborted session that verifies: verified as aborted, with who and why.
    const aborted = {
      ...releaseFailed,
      ok: true,
      outcome: 'aborted',
      abort: {
        by: 2,
        code: 'declined',
        message: 'party 2 declined (no-budget)',
        dataPhaseStarted: false,
      },
      checks: [
        { name: 'abort', ok: true, detail: 'aborted by party 2' },
        { name: 'seals', ok: true, detail: 'no agency sealed the transcript' },
      ],
    };
    await page.unroute('**/sessions/*/verification');
    await page.route('**/sessions/*/verification', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(aborted),
      }),
    );
    await page.goto(`${run.coordinator.url}/#/reports/${completed!.id}/transcript`);
    const verdict = page.locator('[data-verification]');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.getAttribute('data-verification')).toBe('aborted');
    expect(await verdict.locator('.alert-title').textContent()).toBe(
      'Verified as aborted: all 2 checks passed.',
    );
    expect(await verdict.textContent()).toContain(
      'Aborted by party 2 (declined): party 2 declined (no-budget).',
    );
    expect(problems).toEqual([]);
  }, 30_000);

  it('draws all 250 bars of a 250-zone slice in natural order, scrolling sideways', async () => {
    const { page, problems } = await openPage();
    // The dashboard's own modules, on a report shaped like ridership per capita over 250 zones
    // listed in string order (Z1, Z10, Z100, …), as reports stored before natural order were.
    // A string, not a function: the test runner would rewrite a function's dynamic imports.
    const drawn = await page.evaluate<{
      bars: string | null;
      caption: string;
      width: number;
      labels: string[];
      values: string[];
    }>(`(async () => {
      const grid = await import('/js/grid.js');
      const charts = await import('/js/views/output-chart.js');
      const zones = Array.from({ length: 250 }, (_, i) => 'Z' + (i + 1)).sort();
      const output = {
        name: 'boardings',
        title: 'Boardings',
        unit: 'boardings',
        axes: ['zone'],
        values: zones.map((z) => z.slice(1)),
        confidenceLevel: '0.95',
        intervalHalfWidth: '5',
        sliceHalfWidths: [],
        noise: {},
      };
      const [group] = grid.resultGroups({
        grid: [{ name: 'zone', values: zones }],
        outputs: [output],
        derived: [],
      });
      const rows = grid.sliceRows(group, []);
      const chart = charts.outputChart(output, group);
      document.querySelector('main').append(chart.element);
      chart.show(rows, 'By zone');
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      return {
        bars: chart.element.getAttribute('data-bars'),
        caption: chart.element.querySelector('.hint').textContent,
        width: chart.element.querySelector('canvas').getBoundingClientRect().width,
        labels: rows.map((r) => r.label),
        // Each row's cell holds the zone's number: natural order reads 1, 2, 3, …
        values: rows.map((r) => output.values[r.indices[0]]),
      };
    })()`);
    expect(drawn.bars).toBe('250');
    expect(drawn.caption).toContain('All 250 bars are drawn');
    expect(drawn.caption).not.toMatch(/first \d+ of/i);
    expect(drawn.width).toBeGreaterThan(1280);
    expect(drawn.labels.slice(0, 3)).toEqual(['Z1', 'Z2', 'Z3']);
    expect(drawn.labels.at(-1)).toBe('Z250');
    expect(drawn.values).toEqual(Array.from({ length: 250 }, (_, i) => String(i + 1)));
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('tells a wrong token apart clearly and lets nothing through', async () => {
    const { page, problems } = await openPage();
    await signIn(page, 'concord_this-is-not-a-token-anyone-issued');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This token was not accepted');
    expect(await page.locator('#site-nav').isHidden()).toBe(true);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(problems).toEqual([]);
    // The page's policy makes HTML parsing from strings impossible (Trusted Types), so no API
    // string can ever be rendered as markup.
    const parse = await page.evaluate(
      "(() => { try { document.body.insertAdjacentHTML('beforeend', '<i>x</i>'); return 'parsed'; } catch (e) { return e.name; } })()",
    );
    expect(parse).toBe('TypeError');
  }, 30_000);

  it('shows the privacy budget as gauges, or says the ledger is not available', async () => {
    const { page, problems } = await openPage();
    await signIn(page, analystToken);
    await page.waitForSelector('#role-badge[data-role="analyst"]');
    const ledger = await run.client.request<{ buckets?: unknown[] }>('GET', '/ledger');
    await page.getByRole('link', { name: 'Privacy budget', exact: true }).click();
    const shown = page.locator('[data-ledger]');
    await shown.waitFor();
    if (ledger.status === 404) {
      expect(await shown.getAttribute('data-ledger')).toBe('unavailable');
      expect(await shown.textContent()).toContain('not available');
    } else {
      expect(ledger.status).toBe(200);
      expect(await page.locator('[data-bucket]').count()).toBe(ledger.body.buckets?.length);
      // The gauge states the API's ε text, the same as the report's (first test).
      const first = (ledger.body.buckets as { epsilonSpentText: string }[])[0];
      if (first) {
        expect(
          await page
            .locator('[data-bucket] [data-epsilon-spent]')
            .first()
            .getAttribute('data-epsilon-spent'),
        ).toBe(first.epsilonSpentText);
      }
    }

    // The documented shape, served to the page: one gauge per bucket, spent against the cap.
    await page.route('**/ledger', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          buckets: [
            {
              scope: 'fares-and-ridership',
              window: run.serviceDate,
              spent: '1/2',
              cap: '4',
              remaining: '7/2',
              epsilonSpent: 6.41,
              epsilonCap: 22.1,
            },
          ],
        }),
      }),
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    const bucket = page.locator(`[data-bucket="fares-and-ridership/${run.serviceDate}"]`);
    await bucket.waitFor();
    expect(await bucket.locator('meter').getAttribute('value')).toBe('0.125');
    expect(await bucket.textContent()).toContain('ρ 1/2 of 4 spent (12.5%)');
    expect(await bucket.textContent()).toContain('Remaining: ρ = 7/2');
    expect(problems).toEqual([]);
  }, 30_000);
});

/** A released integer as the dashboard writes it: grouped digits, a real minus sign. */
function integer(value: string): string {
  const n = BigInt(value);
  const grouped = (n < 0n ? -n : n).toLocaleString('en-US');
  return n < 0n ? `\u2212${grouped}` : grouped;
}
