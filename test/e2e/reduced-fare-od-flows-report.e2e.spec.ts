import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalHalfWidth } from '#concord/accounting';
import { type TranscriptExportFile, verifyTranscriptExport } from '#concord/audit';
import { parseConsortium } from '#concord/consortium';
import { outputNoiseLaw, readCatalogueDirectory, type SessionPlan } from '#concord/protocol';
import { CATALOGUE_TRUTH } from '../../apps/agency-node/src/demo/catalogue-truth.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

interface Report {
  id: string;
  state: string;
  error: { code: string; message: string } | null;
  outputs: { name: string; values: string[] }[];
}

/**
 * Origin–destination flows of enrolled riders over the private join, for real: three agency node
 * processes and the coordinator on loopback, the small synthetic city (6 zones: 36 zone pairs,
 * 65,536 × 36 per-card elements). The release must lie within its noise bound of the city's
 * exact flows and the transcript must verify, join steps included.
 */
describe('a reduced-fare origin–destination report end to end', { timeout: 120_000 }, () => {
  let run: RunningConsortium;
  const catalogue = readCatalogueDirectory('protocols');

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '1415' });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('releases enrolled and all riders’ zone-pair flows within their noise bounds', async () => {
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'reduced-fare-od-flows',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
      requestId: 'e2e-od-flows-1',
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
    const truth = CATALOGUE_TRUTH['reduced-fare-od-flows'](
      run.city,
      catalogue.find('reduced-fare-od-flows')!,
    );
    const zones = truth.axes.from_zone.length;
    expect(plan.outputs.map((o) => o.length)).toEqual([zones * zones, zones * zones]);
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
    // Enrolled riders are a strict subset of card riders, far beyond the noise in sum.
    const sum = (name: string): bigint =>
      report.outputs.find((o) => o.name === name)!.values.reduce((s, v) => s + BigInt(v), 0n);
    expect(sum('enrolled_flows')).toBeLessThan(sum('all_flows'));
    expect(sum('enrolled_flows')).toBeGreaterThan(0n);
    expect(JSON.stringify(transcript)).not.toContain(run.city.planning.enrolment[0].tokenId);

    const consortium = parseConsortium(
      JSON.parse(readFileSync(run.consortium.consortiumFile, 'utf8')),
    );
    const audit = verifyTranscriptExport(transcript, consortium, catalogue);
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
    expect(audit.checks.find((c) => c.name === 'private join')?.ok).toBe(true);
  });
});
