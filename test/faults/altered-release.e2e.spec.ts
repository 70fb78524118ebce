import type { AuditReport } from '#concord/audit';
import { fieldById, fromBigInts, vectorToBytes } from '#concord/field';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerify } from '../support/audit-cli.js';
import { type FaultConsortium, startFaultConsortium } from '../support/fault-consortium.js';
import { type Report, runRevenueReport } from '../support/revenue-report.js';

/**
 * The agencies seal the transcript whose release entry carries the digest of exactly what is
 * published (libs/transcript, releaseDigest): a released number changed afterwards in the
 * coordinator's database must fail the coordinator's own verification and `concord audit verify`,
 * and its download is refused.
 */
describe('a released value altered in the database fails verification', () => {
  let run: FaultConsortium;
  const reports: Report[] = [];

  beforeAll(async () => {
    run = await startFaultConsortium({ seed: '7103' });
    for (const requestId of ['altered-values', 'altered-interval']) {
      const report = await runRevenueReport(run.client, run.setup.serviceDate, requestId);
      if (report.state !== 'completed') throw new Error(`report ${requestId}: ${report.state}`);
      reports.push(report);
    }
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  /** The coordinator's verification and the auditor's tool, on the session as served now. */
  async function verifyBoth(
    id: string,
    name: string,
  ): Promise<{ api: AuditReport; cli: Awaited<ReturnType<typeof auditVerify>> }> {
    const api = await run.client.request<AuditReport>('GET', `/sessions/${id}/verification`);
    expect(api.status).toBe(200);
    const transcript = await run.client.request<{
      entries: { kind: string; body: { releaseDigestVersion?: number } }[];
    }>('GET', `/sessions/${id}/transcript`);
    expect(transcript.status).toBe(200);
    // Nodes of this release send limbs, so the agencies sealed the version 2 digest (over them).
    const release = transcript.body.entries.find((e) => e.kind === 'session.results');
    expect(release?.body.releaseDigestVersion).toBe(2);
    const cli = await auditVerify(transcript.body, {
      dir: run.dir,
      consortiumFile: run.setup.consortium.consortiumFile,
      name,
    });
    return { api: api.body, cli };
  }

  function expectReleaseRejected(result: Awaited<ReturnType<typeof verifyBoth>>): void {
    expect(result.api.ok).toBe(false);
    const failing = result.api.checks.filter((c) => !c.ok);
    expect(
      failing.some((c) => /releas/i.test(`${c.name} ${c.detail}`)),
      `failing checks: ${JSON.stringify(failing)}`,
    ).toBe(true);
    expect(result.cli.code, result.cli.output).toBe(1);
  }

  /** A download serves only the sealed release: the altered one is refused, in both formats. */
  async function expectDownloadRefused(id: string): Promise<void> {
    for (const format of ['csv', 'arrow']) {
      const res = await run.client.request<{ code: string; detail: string }>(
        'GET',
        `/reports/${id}/download?format=${format}`,
      );
      expect([res.status, res.body.code], format).toEqual([409, 'not-released']);
      expect(res.body.detail).toMatch(/do not hash to the release digest the agencies sealed/);
    }
  }

  it('one changed noisy value: /verification says ok: false about the release, audit verify exits 1', async () => {
    const report = reports[0];
    const untouched = await verifyBoth(report.id, 'values-before');
    expect(untouched.api.ok).toBe(true);
    expect(untouched.cli.code, untouched.cli.output).toBe(0);

    const output = report.outputs.find((o) => o.name === 'revenue')!;
    const altered = [String(BigInt(output.values[0]) + 1n), ...output.values.slice(1)];
    // Stored as limbs in the release's field: the altered value written as canonical limbs.
    const changed = await run.withDatabase(async (sql) => {
      const [row] = await sql<{ value_field: string }>(
        'SELECT value_field FROM results WHERE session_id = $1 AND output_name = $2',
        [report.id, output.name],
      );
      const limbs = vectorToBytes(fromBigInts(fieldById(row.value_field), altered.map(BigInt)));
      return sql(
        'UPDATE results SET noisy_limbs = $1 WHERE session_id = $2 AND output_name = $3 RETURNING id',
        [Buffer.from(limbs), report.id, output.name],
      );
    });
    expect(changed).toHaveLength(1);
    const served = await run.client.request<Report>('GET', `/reports/${report.id}`);
    expect(served.body.outputs.find((o) => o.name === output.name)!.values).toEqual(altered);

    expectReleaseRejected(await verifyBoth(report.id, 'values-after'));
    await expectDownloadRefused(report.id);
  }, 120_000);

  it('a changed interval half-width: /verification says ok: false about the release, audit verify exits 1', async () => {
    const report = reports[1];
    const untouched = await verifyBoth(report.id, 'interval-before');
    expect(untouched.api.ok).toBe(true);
    expect(untouched.cli.code, untouched.cli.output).toBe(0);

    const output = report.outputs.find((o) => o.name === 'boardings')!;
    const narrower = String(BigInt(output.intervalHalfWidth) - 1n);
    const changed = await run.withDatabase(async (sql) =>
      sql(
        'UPDATE results SET interval_half_width = $1 WHERE session_id = $2 AND output_name = $3 RETURNING id',
        [narrower, report.id, output.name],
      ),
    );
    expect(changed).toHaveLength(1);
    const served = await run.client.request<Report>('GET', `/reports/${report.id}`);
    expect(served.body.outputs.find((o) => o.name === output.name)!.intervalHalfWidth).toBe(
      narrower,
    );

    expectReleaseRejected(await verifyBoth(report.id, 'interval-after'));
    await expectDownloadRefused(report.id);
  }, 120_000);
});
