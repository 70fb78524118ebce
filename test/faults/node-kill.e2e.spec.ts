import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectCompletedOnce,
  expectLedgersAgree,
  nodeLedger,
  viewSession,
} from '../support/fault-checks.js';
import { type FaultConsortium, startFaultConsortium } from '../support/fault-consortium.js';
import { armFailpoints, NODE_FAILPOINTS } from '../support/failpoint-names.js';
import { type Report, requestRevenueReport } from '../support/revenue-report.js';

const PAYMENTS = 1; // node index of party 2, which holds an input

/**
 * An agency node killed with SIGKILL at each phase of a session loses the session's secrets. A
 * fresh process of that agency logging in without it ends the session at once (`party-restarted`)
 * — unless it had not accepted yet, in which case it is simply invited again. Either way every
 * ledger (the coordinator's and all three agencies') settles the session the same way: refunded
 * only before the data phase.
 */
describe('an agency node killed with SIGKILL at each phase of a session', () => {
  let run: FaultConsortium;

  beforeAll(async () => {
    run = await startFaultConsortium({
      seed: '7203',
      // Long enough for a fresh node process to start and log in on a loaded machine.
      coordinatorEnv: { NODE_LEASE_MS: '8000' },
    });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  it.each(NODE_FAILPOINTS)(
    'at %s: the session ends consistently on every ledger',
    async (point) => {
      await run.restartNode(PAYMENTS, { env: armFailpoints(point) });
      await run.waitForNodes();
      const id = await requestRevenueReport(
        run.client,
        run.setup.serviceDate,
        `node-kill-${point}`,
      );
      await run.node(PAYMENTS).waitForFailpoint(point);
      expect(await run.stopNode(PAYMENTS, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      run.startNode(PAYMENTS);
      await run.waitForNodes();
      await run.client.waitForReport<Report>(id);
      const view = await viewSession(run, id);
      if (point === 'node.reading-inputs') {
        // Nothing was accepted yet: the fresh process is invited again and the session completes.
        expectCompletedOnce(view, point);
      } else {
        expect(view.report.state, point).toBe('aborted');
        expect(view.report.error?.code, point).toBe('party-restarted');
        expect(view.report.outputs, point).toEqual([]);
        expect(
          view.verification.checks.filter((c) => !c.ok),
          point,
        ).toEqual([]);
      }
      await expectLedgersAgree(run, view, point);
    },
    120_000,
  );

  it('a node that does not come back: the session aborts after the node lease, and its ledger settles at its next login', async () => {
    const point = 'node.committed';
    await run.restartNode(PAYMENTS, { env: armFailpoints(point) });
    await run.waitForNodes();
    const id = await requestRevenueReport(run.client, run.setup.serviceDate, 'node-gone');
    await run.node(PAYMENTS).waitForFailpoint(point);
    await run.stopNode(PAYMENTS, 'SIGKILL');
    const report = await run.client.waitForReport<Report>(id);
    expect(report.state).toBe('aborted');
    expect(report.error?.code).toBe('party-disconnected');
    // Its charge is pending in its own ledger until it learns the outcome.
    expect(nodeLedger(run, PAYMENTS).unsettled()).toContain(id);
    run.startNode(PAYMENTS);
    await run.waitForNodes();
    await expectLedgersAgree(run, await viewSession(run, id), 'node-gone');
    expect(nodeLedger(run, PAYMENTS).unsettled()).toEqual([]);
  }, 120_000);
});
