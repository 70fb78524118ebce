import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCompletedOnce, expectLedgersAgree, viewSession } from '../support/fault-checks.js';
import { type FaultConsortium, startFaultConsortium } from '../support/fault-consortium.js';
import { armFailpoints } from '../support/failpoint-names.js';
import { type Report, requestRevenueReport } from '../support/revenue-report.js';

const OUTAGE_MS = 15_000;

/**
 * The coordinator's database unreachable for 15 s while a session is in its data phase (a TCP
 * proxy between the coordinator and its database refuses every connection): the API answers 503
 * problems, the process stays up, a report refused meanwhile leaves no session and no charge
 * behind, and the running session finishes once the database is back.
 */
describe('the database unavailable for 15 s during a session', () => {
  let run: FaultConsortium;

  beforeAll(async () => {
    run = await startFaultConsortium({
      seed: '7205',
      databaseProxy: true,
      firstStart: { coordinator: armFailpoints('coordinator.input-relayed') },
    });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('answers 503, keeps running, charges nothing it refused, and finishes the session afterwards', async () => {
    const id = await requestRevenueReport(run.client, run.setup.serviceDate, 'outage-running');
    await run.coordinator.waitForFailpoint('coordinator.input-relayed');
    await run.databaseLink!.down('refuse');
    const downAt = Date.now();
    run.coordinator.resume();

    const report = await run.client.request<{ code: string; status: number }>(
      'GET',
      `/reports/${id}`,
    );
    expect([report.status, report.body.code]).toEqual([503, 'database-unavailable']);
    const refused = await run.client.request<{ code: string }>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.setup.serviceDate },
      budget: '1/4',
      requestId: 'outage-refused',
    });
    expect([refused.status, refused.body.code]).toEqual([503, 'database-unavailable']);
    // Not ready, yet alive: an orchestrator stops sending traffic but does not restart it.
    expect((await run.client.request('GET', '/health/ready')).status).toBe(503);
    expect((await run.client.request('GET', '/health/live')).status).toBe(200);

    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
    expect(run.coordinator.alive).toBe(true);
    await run.databaseLink!.up();

    await run.client.waitForReport<Report>(id);
    const view = await viewSession(run, id);
    expectCompletedOnce(view, 'outage');
    await expectLedgersAgree(run, view, 'outage');
    // The refused request left nothing behind: one session, and its charge the only one.
    const reports = await run.client.request<{ id: string }[]>('GET', '/reports?limit=100');
    expect(reports.body.map((r) => r.id)).toEqual([id]);
    const ledger = await run.client.request<{ buckets: { window: string; spent: string }[] }>(
      'GET',
      '/ledger',
    );
    expect(ledger.body.buckets.map((b) => [b.window, b.spent])).toEqual([
      [run.setup.serviceDate, '1/4'],
    ]);
    // Asked again with the same request id, it is a new session now, and it completes.
    const again = await requestRevenueReport(run.client, run.setup.serviceDate, 'outage-refused');
    expect(again).not.toBe(id);
    expect((await run.client.waitForReport<Report>(again)).state).toBe('completed');
  }, 180_000);
});
