import { fieldById, toBigInts, vectorFromBytes } from '#concord/field';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultConsortium, startFaultConsortium } from '../../support/fault-consortium.js';
import { type Report, runRevenueReport } from '../../support/revenue-report.js';

/**
 * The fault harness itself, against today's coordinator: its database outlives the process, so a
 * coordinator killed with SIGKILL and started again at the same URL serves what the dead one
 * released, the nodes find it again, and the test can read the database directly.
 */
describe('fault harness: a coordinator killed with SIGKILL and started again', () => {
  let run: FaultConsortium;

  beforeAll(async () => {
    run = await startFaultConsortium({ seed: '7101' });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('serves the first report identically after a restart on the same database, and completes a second', async () => {
    const first = await runRevenueReport(run.client, run.setup.serviceDate, 'restart-1');
    expect(first.state).toBe('completed');
    const transcript = await run.client.request('GET', `/sessions/${first.id}/transcript`);
    expect(transcript.status).toBe(200);
    const killed = run.coordinator;

    expect(await run.stopCoordinator('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await run.startCoordinator();
    expect(run.coordinator.pid).not.toBe(killed.pid);
    await run.waitForNodes();

    const served = await run.client.request<Report>('GET', `/reports/${first.id}`);
    expect(served).toEqual({ status: 200, body: first });
    expect(await run.client.request('GET', `/sessions/${first.id}/transcript`)).toEqual(transcript);
    const second = await runRevenueReport(run.client, run.setup.serviceDate, 'restart-2');
    expect(second.state).toBe('completed');
    expect(second.id).not.toBe(first.id);
  }, 120_000);

  it('reads the database directly: the released values stored are the values served', async () => {
    const reports = await run.client.request<Report[]>('GET', '/reports?limit=100');
    const report = await run.client.request<Report>('GET', `/reports/${reports.body[0].id}`);
    const rows = await run.withDatabase((sql) =>
      sql<{ output_name: string; noisy_limbs: Buffer; value_field: string }>(
        'SELECT output_name, noisy_limbs, value_field FROM results WHERE session_id = $1 ORDER BY output_name',
        [report.body.id],
      ),
    );
    // Stored as the opened vectors' limbs: decoded here independently of the coordinator.
    const stored = rows.map((r) => {
      const field = fieldById(r.value_field);
      const length = r.noisy_limbs.byteLength / (4 * field.limbs);
      const vector = vectorFromBytes(field, length, new Uint8Array(r.noisy_limbs));
      return { output_name: r.output_name, values: toBigInts(vector).map(String) };
    });
    expect(stored).toEqual(
      report.body.outputs
        .map((o) => ({ output_name: o.name, values: o.values }))
        .sort((a, b) => a.output_name.localeCompare(b.output_name)),
    );
    // On PGlite withDatabase stopped and restarted the coordinator: it serves again, nodes back.
    expect(run.coordinator.alive).toBe(true);
    expect((await run.client.request('GET', `/reports/${report.body.id}`)).status).toBe(200);
    await run.waitForNodes();
  }, 120_000);
});
