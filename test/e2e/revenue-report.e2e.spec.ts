import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalHalfWidth } from '#concord/accounting';
import { Rational } from '#concord/dp';
import { parseConsortium } from '#concord/consortium';
import {
  outputNoiseLaw,
  planAxisValues,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import { revenuePerBoardingOracle } from '#concord/synth';
import { type TranscriptExportFile, verifyTranscriptExport } from '#concord/audit';
import { CATALOGUE_TRUTH } from '../../apps/agency-node/src/demo/catalogue-truth.js';
import { writeIdentityFile } from '../../apps/agency-node/src/keys/identity-file.js';
import { startNodeProcess } from '../../apps/agency-node/src/demo/processes.js';
import { systemRandom } from '#concord/crypto';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

interface Report {
  id: string;
  state: string;
  error: { code: string; message: string } | null;
  outputs: { name: string; values: string[]; intervalHalfWidth: string }[];
}

interface EstimatedReport {
  outputs: {
    values: string[];
    intervalHalfWidth: string;
    estimates: {
      label: string;
      values: number[];
      maxMarginError: number;
      marginTolerance: number;
      statedError: { estimateRmse: number } | null;
    };
  }[];
}

/** `days` days after `date` (YYYY-MM-DD). */
const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Each outputs' released cells within the union-bound interval of the exact ones. */
function expectWithinNoise(
  plan: SessionPlan,
  report: Report,
  exact: Readonly<Record<string, readonly bigint[]>>,
): void {
  const cells = plan.outputs.reduce((n, o) => n + o.length, 0);
  // Union bound: every cell inside its (1 - 1e-9/cells) interval fails with probability < 1e-9.
  for (const output of plan.outputs) {
    const bound = BigInt(intervalHalfWidth(outputNoiseLaw(output), 1e-9 / cells));
    const released = report.outputs.find((o) => o.name === output.name)!.values.map(BigInt);
    const reference = exact[output.name];
    expect(released).toHaveLength(reference.length);
    const outside = released.filter(
      (v, i) => (v > reference[i] ? v - reference[i] : reference[i] - v) > bound,
    );
    expect(outside, `${output.name}: cells outside ±${bound}`).toEqual([]);
  }
}

/**
 * The whole path for real: a coordinator and three agency node processes on loopback sockets, the
 * database (PostgreSQL in CI), a synthetic city's files read by the nodes' connectors.
 */
describe('a revenue-per-boarding report end to end', { timeout: 60_000 }, () => {
  let run: RunningConsortium;
  let completedId = '';

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '4242' });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('opens every cell within the noise bound of the synthetic city’s exact answer, and the transcript verifies', async () => {
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
      requestId: 'e2e-revenue-request-1',
    });
    expect(created.status).toBe(202);
    const report = await run.client.waitForReport<Report>(created.body.id);
    expect(report.error).toBeNull();
    expect(report.state).toBe('completed');
    completedId = report.id;

    const transcript = (
      await run.client.request<TranscriptExportFile>('GET', `/sessions/${report.id}/transcript`)
    ).body;
    const plan: SessionPlan = transcript.plan;
    const truth = revenuePerBoardingOracle(run.city, {
      serviceDate: run.city.serviceDate,
      maxTapsPerTokenDay: 8,
      maxCentsPerTokenDay: 500,
      maxBoardingsPerCell: 50000,
    });
    expect(planAxisValues(plan.axes.find((a) => a.name === 'route')!)).toEqual(truth.routes);
    expectWithinNoise(plan, report, { boardings: truth.boardings, revenue: truth.revenueCents });

    const audit = verifyTranscriptExport(
      transcript,
      parseConsortium(JSON.parse(readFileSync(run.consortium.consortiumFile, 'utf8'))),
      readCatalogueDirectory('protocols'),
    );
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('serves post-processed estimates only on request, labelled, non-negative, leaving the release and its transcript as they were', async () => {
    expect(completedId).not.toBe('');
    const exportBefore = await run.client.request<unknown>(
      'GET',
      `/sessions/${completedId}/transcript`,
    );
    const plain = await run.client.request<Report>('GET', `/reports/${completedId}`);
    const estimated = await run.client.request<EstimatedReport>(
      'GET',
      `/reports/${completedId}?estimates=true`,
    );
    expect(estimated.status).toBe(200);
    expect(plain.body.outputs.every((o) => !('estimates' in o))).toBe(true);
    for (const [i, o] of estimated.body.outputs.entries()) {
      expect(o.values).toEqual(plain.body.outputs[i].values);
      expect(o.intervalHalfWidth).toEqual(plain.body.outputs[i].intervalHalfWidth);
      const e = o.estimates;
      expect(e.label).toBe('post-processed estimate');
      expect(e.values).toHaveLength(o.values.length);
      expect(Math.min(...e.values)).toBeGreaterThanOrEqual(0);
      expect(e.maxMarginError).toBeLessThanOrEqual(e.marginTolerance);
      expect(e.statedError!.estimateRmse).toBeGreaterThan(0);
    }
    const exportAfter = await run.client.request<unknown>(
      'GET',
      `/sessions/${completedId}/transcript`,
    );
    expect(exportAfter.body).toEqual(exportBefore.body);
  });

  it('returns the same session for a repeated request id', async () => {
    const again = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
      requestId: 'e2e-revenue-request-1',
    });
    const reports = await run.client.request<Report[]>('GET', '/reports?limit=100');
    expect(reports.body.filter((r) => r.id === again.body.id)).toHaveLength(1);
    expect(reports.body).toHaveLength(1);
  });

  it('answers the same request id with another budget by a 409 problem, not the old report', async () => {
    const other = await run.client.request<{ status: number; code: string; type: string }>(
      'POST',
      '/reports',
      {
        protocol: 'revenue-per-boarding',
        parameters: { serviceDate: run.serviceDate },
        budget: '1/3',
        requestId: 'e2e-revenue-request-1',
      },
    );
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({
      code: 'idempotency-conflict',
      type: 'https://concord.example/problems/idempotency-conflict',
    });
    const reports = await run.client.request<Report[]>('GET', '/reports?limit=100');
    expect(reports.body).toHaveLength(1);
  });

  it('refuses a node whose identity key is not the one pinned for its agency, and keeps the real one', async () => {
    const agency = run.consortium.agencies[0];
    const rogueKey = join(run.dir, 'rogue.key.json');
    const pair = writeIdentityFile(rogueKey, agency.id, systemRandom);
    // The rogue pins its own key in its own consortium file: only the coordinator's pin stops it.
    const consortium = JSON.parse(readFileSync(run.consortium.consortiumFile, 'utf8')) as {
      agencies: { id: string; keys: { publicKey: string }[] }[];
    };
    consortium.agencies.find((a) => a.id === agency.id)!.keys[0].publicKey = Buffer.from(
      pair.publicKey,
    ).toString('hex');
    const rogueConsortium = join(run.dir, 'rogue-consortium.json');
    writeFileSync(rogueConsortium, JSON.stringify(consortium));
    const config = JSON.parse(readFileSync(agency.configFile, 'utf8')) as Record<string, unknown>;
    const rogueConfig = join(run.dir, 'rogue.node.json');
    writeFileSync(
      rogueConfig,
      JSON.stringify({
        ...config,
        identityKeyFile: rogueKey,
        consortiumFile: rogueConsortium,
        ledger: { capRho: '4', file: join(run.dir, 'rogue.ledger.json') },
      }),
    );

    const rogue = startNodeProcess(rogueConfig);
    const code = await new Promise<number | null>((resolve) => rogue.process.once('exit', resolve));
    expect(code).toBe(1);
    expect(rogue.output()).toMatch(/signature not made by its pinned identity key/);
    const agencies = await run.client.request<{ id: string; connected: boolean }[]>(
      'GET',
      '/agencies',
    );
    expect(agencies.body.every((a) => a.connected)).toBe(true);
  });

  it('refuses a second node process of a connected agency, and keeps the running one', async () => {
    const agency = run.consortium.agencies[1];
    const second = startNodeProcess(agency.configFile);
    const code = await new Promise<number | null>((resolve) =>
      second.process.once('exit', resolve),
    );
    expect(code).toBe(1);
    expect(second.output()).toMatch(/already connected from another node process/);
    const agencies = await run.client.request<{ id: string; connected: boolean }[]>(
      'GET',
      '/agencies',
    );
    expect(agencies.body.every((a) => a.connected)).toBe(true);
    const report = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/4',
      requestId: 'e2e-after-second-login',
    });
    expect((await run.client.waitForReport<Report>(report.body.id)).state).toBe('completed');
  });

  it('answers bad requests with RFC 7807 problems', async () => {
    const bad = await run.client.request<{ type: string; status: number; code: string }>(
      'POST',
      '/reports',
      {
        protocol: 'revenue-per-boarding',
        parameters: { serviceDate: '2026-02-30' },
        budget: '1/2',
      },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('invalid-parameters');
    const unknown = await run.client.request<{ code: string }>('POST', '/reports', {
      protocol: 'nope',
      parameters: {},
      budget: '1',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'unknown-protocol']);
    const invalid = await run.client.request<{ code: string; issues: string[] }>(
      'POST',
      '/reports',
      { protocol: 'x', budget: 7 },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('invalid-request');
  });

  it('runs the 30-day report over every day of its window, within the noise of the 30-day oracle, charging each of the 30 days and no other', async () => {
    const days = Array.from({ length: 30 }, (_, i) => plusDays(run.serviceDate, i));
    const spentByDay = async (): Promise<Map<string, Rational>> => {
      const ledger = await run.admin.request<{ buckets: { window: string; spent: string }[] }>(
        'GET',
        '/ledger',
      );
      return new Map(ledger.body.buckets.map((b) => [b.window, Rational.parse(b.spent)]));
    };
    const before = await spentByDay();
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding-30-days',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/4',
      requestId: 'e2e-revenue-30-days',
    });
    expect(created.status).toBe(202);
    const report = await run.client.waitForReport<Report>(created.body.id);
    expect(report.error).toBeNull();
    expect(report.state).toBe('completed');

    const transcript = (
      await run.client.request<TranscriptExportFile>('GET', `/sessions/${report.id}/transcript`)
    ).body;
    const plan: SessionPlan = transcript.plan;
    expect(plan.privacyUnit.window).toBe(`${days[0]}..${days[29]}`);
    // The nodes' files hold the 30 days: fare rows and APC counts.
    for (const rows of [run.city.payments.fareTransactions, run.city.transit.boardAlight])
      expect(new Set(rows.map((r) => r.serviceDate)).size).toBe(30);
    const catalogue = readCatalogueDirectory('protocols');
    const truth = CATALOGUE_TRUTH['revenue-per-boarding-30-days'](
      run.city,
      catalogue.find('revenue-per-boarding-30-days')!,
    );
    expect(planAxisValues(plan.axes.find((a) => a.name === 'route')!)).toEqual(truth.axes.route);
    expectWithinNoise(plan, report, truth.outputs);
    // Thirty days of boardings and fares, far beyond the noise: the one day's report cannot pass.
    const oneDay = revenuePerBoardingOracle(run.city, {
      serviceDate: run.city.serviceDate,
      maxBoardingsPerCell: 50000,
    });
    const total = (values: readonly bigint[]) => values.reduce((a, b) => a + b, 0n);
    expect(total(truth.outputs.boardings)).toBeGreaterThan(20n * total(oneDay.boardings));

    // The ledger: one request, charged 1/4 on each of its 30 days, on no day after them.
    const after = await spentByDay();
    for (const day of days)
      expect(
        (after.get(day) ?? Rational.ZERO).sub(before.get(day) ?? Rational.ZERO).toString(),
        day,
      ).toBe('1/4');
    expect(after.has(plusDays(run.serviceDate, 30))).toBe(false);
    expect(after.has(`${days[0]}..${days[29]}`)).toBe(false);
    const audit = verifyTranscriptExport(
      transcript,
      parseConsortium(JSON.parse(readFileSync(run.consortium.consortiumFile, 'utf8'))),
      catalogue,
    );
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('answers a long poll (?wait=) once the report finishes, and refuses a wait out of range', async () => {
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/100',
      requestId: 'e2e-revenue-long-poll',
    });
    expect(created.status).toBe(202);
    // Asked at once, while the session runs: the answer waits for its end (well inside 60 s).
    const waited = await run.client.request<Report>(
      'GET',
      `/reports/${created.body.id}?values=false&wait=60`,
    );
    expect([waited.status, waited.body.state]).toEqual([200, 'completed']);
    for (const wait of ['0', '61', '1.5', 'soon']) {
      const refused = await run.client.request<{ code: string }>(
        'GET',
        `/reports/${created.body.id}?wait=${wait}`,
      );
      expect(refused.status, wait).toBe(400);
    }
    const unknown = await run.client.request<{ code: string }>(
      'GET',
      '/reports/00000000-0000-4000-8000-000000000000?wait=5',
    );
    expect(unknown.status).toBe(404);
  });
});
