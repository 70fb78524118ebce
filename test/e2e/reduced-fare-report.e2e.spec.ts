import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalHalfWidth } from '#concord/accounting';
import { type TranscriptExportFile, verifyTranscriptExport } from '#concord/audit';
import { parseConsortium } from '#concord/consortium';
import { outputNoiseLaw, readCatalogueDirectory, type SessionPlan } from '#concord/protocol';
import { entriesOf } from '#concord/transcript';
import { CATALOGUE_TRUTH } from '../../apps/agency-node/src/demo/catalogue-truth.js';
import { auditVerify } from '../support/audit-cli.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

interface Report {
  id: string;
  state: string;
  error: { code: string; message: string } | null;
  outputs: { name: string; values: string[] }[];
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
    run = await startRunningConsortium({ seed: '1414' });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('releases enrolled and all riders’ trips and spend within their noise bounds, and the join verifies', async () => {
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'reduced-fare-use',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
      requestId: 'e2e-reduced-fare-1',
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
    const truth = CATALOGUE_TRUTH['reduced-fare-use'](
      run.city,
      catalogue.find('reduced-fare-use')!,
    );
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
    // Enrolled riders are a strict subset of card riders: the exact totals say so, and so must
    // the (noisy) release in sum, far beyond its noise.
    const sum = (name: string): bigint =>
      report.outputs.find((o) => o.name === name)!.values.reduce((s, v) => s + BigInt(v), 0n);
    expect(sum('enrolled_trips')).toBeLessThan(sum('all_trips'));
    expect(sum('enrolled_trips')).toBeGreaterThan(0n);

    // The join's lists travel only as sealed envelopes: the transcript holds four streams of
    // digests, 32 bytes per card or enrolled token plus headers, never a list.
    const joinEnvelopes = entriesOf(transcript.entries, 'envelope').filter((e) =>
      e.body.round.startsWith('join-'),
    );
    expect(
      new Set(joinEnvelopes.map((e) => `${e.body.round}|${e.body.from}|${e.body.to}`)),
    ).toEqual(new Set(['join-1|3|2', 'join-1|2|3', 'join-2|2|1', 'join-2|3|1']));
    expect(JSON.stringify(transcript)).not.toContain(run.city.planning.enrolment[0].tokenId);

    const consortium = parseConsortium(
      JSON.parse(readFileSync(run.consortium.consortiumFile, 'utf8')),
    );
    const audit = verifyTranscriptExport(transcript, consortium, catalogue);
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
    expect(audit.checks.find((c) => c.name === 'private join')?.ok).toBe(true);
    const cli = await auditVerify(transcript, {
      dir: run.dir,
      consortiumFile: run.consortium.consortiumFile,
      name: 'reduced-fare',
    });
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toContain('private join');
  });
});
