import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalHalfWidth } from '#concord/accounting';
import { type TranscriptExportFile, verifyTranscriptExport } from '#concord/audit';
import { parseConsortium } from '#concord/consortium';
import {
  compareAxisValues,
  outputNoiseLaw,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import { entriesOf } from '#concord/transcript';
import { CATALOGUE_TRUTH } from '../../apps/agency-node/src/demo/catalogue-truth.js';
import { auditVerify } from '../support/audit-cli.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

/** `days` days after `date` (YYYY-MM-DD). */
const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Report {
  id: string;
  state: string;
  error: { code: string; message: string } | null;
  outputs: { name: string; values: string[]; intervalHalfWidth: string }[];
  privacy: { epsilonText: string };
}

/**
 * The private join for real: three agency node processes and the coordinator on loopback
 * sockets. Planning's enrolment list and the processor's cards meet only blinded, through the
 * coordinator's relay; the release must lie within its noise bound of the synthetic city's exact
 * answer, and the transcript must verify, join steps included, with the auditor's own tool.
 */
describe('a reduced-fare programme report end to end', { timeout: 120_000 }, () => {
  let run: RunningConsortium;
  const catalogue = readCatalogueDirectory('protocols');

  beforeAll(async () => {
    // A cap of ρ = 2 a day: the three reports fit (day one holds 3/2), and a request of ρ = 2
    // for any day of the capping week must then be refused (see that test).
    run = await startRunningConsortium({ seed: '1414', env: { LEDGER_CAP_RHO: '2' } });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  /** Requests a report of `protocol` for the city's day and waits for it to complete. */
  async function completedReport(
    protocol: string,
    requestId: string,
    narrowed: { budget: string; axes: Record<string, string[]> } | undefined = undefined,
  ): Promise<{ report: Report; transcript: TranscriptExportFile; plan: SessionPlan }> {
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol,
      parameters: { serviceDate: run.serviceDate },
      budget: narrowed?.budget ?? '1/2',
      requestId,
      ...(narrowed ? { axes: narrowed.axes } : {}),
    });
    expect(created.status).toBe(202);
    const report = await run.client.waitForReport<Report>(created.body.id);
    expect(report.error).toBeNull();
    expect(report.state).toBe('completed');
    const transcript = (
      await run.client.request<TranscriptExportFile>('GET', `/sessions/${report.id}/transcript`)
    ).body;
    const plan: SessionPlan = transcript.plan;
    expect(plan.join).toMatchObject({ axis: 'card', capacity: 65536 });
    return { report, transcript, plan };
  }

  /** Every released cell within its noise bound (1e-9 over the whole release) of the oracle. */
  function expectWithinNoise(protocol: string, plan: SessionPlan, report: Report): void {
    const truth = CATALOGUE_TRUTH[protocol](run.city, catalogue.find(protocol)!);
    const cells = plan.outputs.reduce((n, o) => n + o.length, 0);
    for (const output of plan.outputs) {
      const bound = BigInt(intervalHalfWidth(outputNoiseLaw(output), 1e-9 / cells));
      const released = report.outputs.find((o) => o.name === output.name)!.values.map(BigInt);
      const exact = truth.outputs[output.name];
      expect(released).toHaveLength(exact.length);
      const outside = released.filter(
        (v, i) => (v > exact[i] ? v - exact[i] : exact[i] - v) > bound,
      );
      expect(outside, `${output.name}: cells outside ±${bound}`).toEqual([]);
    }
  }

  /** The auditor's verifier passes every check of the export, the private join's included. */
  function expectVerified(transcript: TranscriptExportFile): void {
    const consortium = parseConsortium(
      JSON.parse(readFileSync(run.consortium.consortiumFile, 'utf8')),
    );
    const audit = verifyTranscriptExport(transcript, consortium, catalogue);
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
    expect(audit.checks.find((c) => c.name === 'private join')?.ok).toBe(true);
  }

  /** An output's exact total over all its cells on this city (the oracle, before noise). */
  const exactTotal = (protocol: string, name: string): bigint =>
    CATALOGUE_TRUTH[protocol](run.city, catalogue.find(protocol)!).outputs[name].reduce(
      (s, v) => s + v,
      0n,
    );

  const sumOf = (report: Report, name: string): bigint =>
    report.outputs.find((o) => o.name === name)!.values.reduce((s, v) => s + BigInt(v), 0n);

  it('releases enrolled and all riders’ trips and spend within their noise bounds, and the join verifies', async () => {
    const { report, transcript } = await completedReport('reduced-fare-use', 'e2e-reduced-fare-1');
    expectWithinNoise('reduced-fare-use', transcript.plan, report);
    // Enrolled riders are a strict subset of card riders: the exact totals say so (125 against
    // 1,055 trips on this city), and so must the release in sum, 14 standard deviations of its
    // noise apart. (The enrolled total alone is under 3 from zero: the oracle says it is there.)
    const exact = (name: string): bigint => exactTotal('reduced-fare-use', name);
    expect(exact('enrolled_trips')).toBeGreaterThan(0n);
    expect(exact('all_trips') - exact('enrolled_trips')).toBeGreaterThan(500n);
    expect(sumOf(report, 'enrolled_trips')).toBeLessThan(sumOf(report, 'all_trips'));

    // The join's lists travel only as sealed envelopes: the transcript holds four streams of
    // digests, 32 bytes per card or enrolled token plus headers, never a list.
    const joinEnvelopes = entriesOf(transcript.entries, 'envelope').filter((e) =>
      e.body.round.startsWith('join-'),
    );
    expect(
      new Set(joinEnvelopes.map((e) => `${e.body.round}|${e.body.from}|${e.body.to}`)),
    ).toEqual(new Set(['join-1|3|2', 'join-1|2|3', 'join-2|2|1', 'join-2|3|1']));
    expect(JSON.stringify(transcript)).not.toContain(run.city.planning.enrolment[0].tokenId);

    expectVerified(transcript);
    const cli = await auditVerify(transcript, {
      dir: run.dir,
      consortiumFile: run.consortium.consortiumFile,
      name: 'reduced-fare',
    });
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toContain('private join');
  });

  it('releases fare-capping impact by zone over a service week within its noise bounds, charges every day of it, and the join verifies', async () => {
    const week = Array.from({ length: 7 }, (_, i) => plusDays(run.serviceDate, i));
    const { report, transcript, plan } = await completedReport(
      'reduced-fare-capping',
      'e2e-reduced-fare-capping-1',
    );
    expect(plan.protocol.version).toBe('2.0.0');
    expect(plan.privacyUnit.window).toBe(`${week[0]}..${week[6]}`);
    expect(plan.axes.find((a) => a.name === 'zone')).toBeDefined();
    // The oracle over the same seven days (the processor's file holds them: the small city's
    // synthetic consortium writes 30 days of fare rows, of which the week reads its seven).
    const held = new Set(run.city.payments.fareTransactions.map((r) => r.serviceDate));
    expect(week.every((day) => held.has(day.replaceAll('-', '')))).toBe(true);
    expectWithinNoise('reduced-fare-capping', plan, report);
    // The caps save part of what riders pay, never more, and enrolled riders are a subset of card
    // riders: the exact totals say so, and so must the release in sum, far beyond its noise.
    const exact = (name: string): bigint => exactTotal('reduced-fare-capping', name);
    expect(exact('all_savings')).toBeGreaterThan(0n);
    expect(exact('enrolled_spend')).toBeLessThan(exact('all_spend'));
    expect(sumOf(report, 'all_savings')).toBeLessThan(sumOf(report, 'all_spend'));
    expect(sumOf(report, 'enrolled_spend')).toBeLessThan(sumOf(report, 'all_spend'));

    // The coordinator's ledger: the week is one entry charged to each of its seven days. GET
    // /ledger lists buckets, which are days, so each day of the week shows the week's 1/2 (day
    // one also the reduced-fare-use report's 1/2 when it ran first), never the span itself; and
    // each day's balance shows again in the refusal of a request that would overfill it: ρ = 2
    // (the cap) on top of what the day holds.
    const ledger = await run.client.request<{ buckets: { window: string; spent: string }[] }>(
      'GET',
      '/ledger',
    );
    const buckets = new Map(ledger.body.buckets.map((b) => [b.window, b.spent]));
    expect(buckets.has(`${week[0]}..${week[6]}`)).toBe(false);
    const dayOne = buckets.get(week[0]);
    expect(['1/2', '1']).toContain(dayOne);
    for (const day of week.slice(1)) expect(buckets.get(day), day).toBe('1/2');
    for (const [i, day] of week.entries()) {
      const probe = await run.client.request<{ code: string; detail: string }>('POST', '/reports', {
        protocol: 'reduced-fare-use',
        parameters: { serviceDate: day },
        budget: '2',
        requestId: `e2e-capping-ledger-${day}`,
      });
      expect(probe.body.code, day).toBe('budget-exhausted');
      expect(probe.body.detail).toContain(
        `cap 2 of fares-and-ridership for ${day} (spent ${i === 0 ? dayOne : '1/2'})`,
      );
    }
    expectVerified(transcript);
  });

  it('releases origin–destination flows by zone pair within their noise bounds, and the join verifies', async () => {
    // The small city's 6 zones: 36 zone pairs, 65,536 × 36 per-card elements.
    const { report, transcript, plan } = await completedReport(
      'reduced-fare-od-flows',
      'e2e-od-flows-1',
    );
    const zones = plan.axes.find((a) => a.name === 'from_zone');
    expect(zones && 'values' in zones ? zones.values.length : 0).toBe(6);
    expect(plan.outputs.map((o) => o.length)).toEqual([36, 36]);
    expectWithinNoise('reduced-fare-od-flows', plan, report);
    // The small city's enrolled riders make a few dozen flows, within the noise of 36 cells in
    // sum: that they are there at all is the oracle's to say. All riders' flows exceed them by
    // far more than the noise, so the release must show it too.
    const exact = (name: string): bigint => exactTotal('reduced-fare-od-flows', name);
    expect(exact('enrolled_flows')).toBeGreaterThan(0n);
    expect(exact('all_flows') - exact('enrolled_flows')).toBeGreaterThan(200n);
    expect(sumOf(report, 'enrolled_flows')).toBeLessThan(sumOf(report, 'all_flows'));
    expect(JSON.stringify(transcript)).not.toContain(run.city.planning.enrolment[0].tokenId);

    expectVerified(transcript);
  });

  it('runs origin–destination flows over the zones an analyst selects, the cells of the full grid’s oracle', async () => {
    // A district: three of the six zones, given out of order. The grid holds those three in the
    // public order (9 zone pairs); flows to or from other zones are not counted.
    const zones = run.city.planning.zones.map((z) => z.geoid).sort(compareAxisValues);
    const axes = await run.client.request<{ name: string; source: string; values: string[] }[]>(
      'GET',
      '/catalogue/reduced-fare-od-flows/axes',
    );
    expect(axes.body).toEqual([
      { name: 'from_zone', source: 'zones', values: zones },
      { name: 'to_zone', source: 'zones', values: zones },
    ]);
    const chosen = [zones[4], zones[0], zones[2]];
    const { report, transcript, plan } = await completedReport(
      'reduced-fare-od-flows',
      'e2e-od-flows-district',
      { budget: '1/4', axes: { from_zone: chosen, to_zone: chosen } },
    );
    // What the selected grid buys, asked for free before spending: the report states the same.
    const promised = await run.client.request<{
      outputs: { name: string; halfWidth: string }[];
      privacy: { epsilonText: string };
    }>(
      'GET',
      `/catalogue/reduced-fare-od-flows/accuracy?budget=1/4&axes=${encodeURIComponent(
        JSON.stringify({ from_zone: chosen, to_zone: chosen }),
      )}`,
    );
    expect(promised.status).toBe(200);
    expect(report.privacy.epsilonText).toBe(promised.body.privacy.epsilonText);
    expect(report.outputs.map((o) => [o.name, o.intervalHalfWidth])).toEqual(
      promised.body.outputs.map((o) => [o.name, o.halfWidth]),
    );
    const district = [zones[0], zones[2], zones[4]];
    for (const name of ['from_zone', 'to_zone']) {
      const axis = plan.axes.find((a) => a.name === name);
      expect(axis && 'values' in axis ? axis.values : []).toEqual(district);
    }
    expect(plan.outputs.map((o) => o.length)).toEqual([9, 9]);
    const truth = CATALOGUE_TRUTH['reduced-fare-od-flows'](
      run.city,
      catalogue.find('reduced-fare-od-flows')!,
    );
    const at = [0, 2, 4].flatMap((i) => [0, 2, 4].map((j) => i * zones.length + j));
    for (const output of plan.outputs) {
      const bound = BigInt(intervalHalfWidth(outputNoiseLaw(output), 1e-9 / 18));
      const exact = at.map((i) => truth.outputs[output.name][i]);
      const released = report.outputs.find((o) => o.name === output.name)!.values.map(BigInt);
      expect(released).toHaveLength(9);
      const outside = released.filter(
        (v, i) => (v > exact[i] ? v - exact[i] : exact[i] - v) > bound,
      );
      expect(outside, `${output.name}: cells outside ±${bound}`).toEqual([]);
    }
    // All riders' flows among the three zones stand far above the noise: the selection counted
    // them, rather than an empty or shifted grid.
    const all = at.reduce((s, i) => s + truth.outputs.all_flows[i], 0n);
    expect(all).toBeGreaterThan(100n);
    expectVerified(transcript);

    // The same request id with another selection is another request: refused, not served.
    const replay = await run.client.request<{ code: string }>('POST', '/reports', {
      protocol: 'reduced-fare-od-flows',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/4',
      requestId: 'e2e-od-flows-district',
      axes: { from_zone: chosen, to_zone: [zones[0]] },
    });
    expect([replay.status, replay.body.code]).toEqual([409, 'idempotency-conflict']);
    const unknown = await run.client.request<{ code: string; detail: string }>('POST', '/reports', {
      protocol: 'reduced-fare-od-flows',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/4',
      axes: { from_zone: ['NOT-A-ZONE'] },
    });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'invalid-axis-values']);
    expect(unknown.body.detail).toContain('"NOT-A-ZONE" is not one of its 6 public values');
  });
});
