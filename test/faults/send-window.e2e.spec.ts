import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCompletedOnce, expectLedgersAgree, viewSession } from '../support/fault-checks.js';
import { type FaultConsortium, startFaultConsortium } from '../support/fault-consortium.js';
import { armFailpoints } from '../support/failpoint-names.js';
import { type Report, requestRevenueReport } from '../support/revenue-report.js';

/**
 * Nodes whose send window holds one envelope (`sendWindowBytes: 1`): each seals its next envelope
 * only once the coordinator has relayed the previous one's acknowledgement, so every round pauses
 * and resumes through the real coordinator. A session completes so, and also when the coordinator
 * is killed with SIGKILL while the nodes wait on acknowledgements: the acknowledgements it never
 * relayed come back as the nodes resend what is unacknowledged to the next process.
 */
describe('nodes sending within a one-envelope window', () => {
  let run: FaultConsortium;

  beforeAll(async () => {
    run = await startFaultConsortium({ seed: '7207', nodeConfig: { sendWindowBytes: 1 } });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('complete a session, released once, every ledger agreeing', async () => {
    const id = await requestRevenueReport(run.client, run.setup.serviceDate, 'window-clean');
    const report = await run.client.waitForReport<Report>(id);
    expect(report.state).toBe('completed');
    const view = await viewSession(run, id);
    expectCompletedOnce(view, 'window-clean');
    await expectLedgersAgree(run, view, 'window-clean');
  }, 120_000);

  it('complete it after the coordinator is killed as the inputs are relayed', async () => {
    const point = 'coordinator.input-relayed';
    await run.stopCoordinator('SIGTERM');
    await run.startCoordinator({ env: armFailpoints(point) });
    await run.waitForNodes();
    const id = await requestRevenueReport(run.client, run.setup.serviceDate, 'window-kill');
    await run.coordinator.waitForFailpoint(point);
    expect(await run.stopCoordinator('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await run.startCoordinator();
    await run.client.waitForReport<Report>(id);
    const view = await viewSession(run, id);
    expectCompletedOnce(view, point);
    await expectLedgersAgree(run, view, point);
  }, 120_000);
});
