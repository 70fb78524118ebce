import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectLedgersAgree, nodeLedger, viewSession } from '../support/fault-checks.js';
import { type FaultConsortium, startFaultConsortium } from '../support/fault-consortium.js';
import { armFailpoints } from '../support/failpoint-names.js';
import { type Report, requestRevenueReport } from '../support/revenue-report.js';

const TRANSIT = 0;
const PLANNING = 2;

/**
 * A session that aborts while one agency is still reading its inputs (its process stopped in the
 * middle of the read): when that agency carries on, it must not charge or accept a session that
 * has ended — or, if its acceptance crosses the abort, learn the outcome and give the charge
 * back. Every ledger ends where it began.
 */
describe('an abort racing an agency’s input read', () => {
  let run: FaultConsortium;

  beforeAll(async () => {
    run = await startFaultConsortium({
      seed: '7206',
      coordinatorEnv: {
        NODE_LEASE_MS: '2000',
        NODE_STALL_MS: '1500',
        HEARTBEAT_INTERVAL_MS: '250',
      },
      firstStart: { nodes: [undefined, undefined, armFailpoints('node.reading-inputs')] },
    });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('leaves every ledger as it was', async () => {
    const id = await requestRevenueReport(run.client, run.setup.serviceDate, 'abort-race');
    await run.node(PLANNING).waitForFailpoint('node.reading-inputs');
    // Another agency's node dies: the session aborts once its lease runs out.
    await run.stopNode(TRANSIT, 'SIGKILL');
    const report = await run.client.waitForReport<Report>(id);
    expect(report.state).toBe('aborted');
    // The stopped agency finishes its read after the abort; the dead one comes back.
    run.node(PLANNING).resume();
    run.startNode(TRANSIT);
    await run.waitForNodes();
    const view = await viewSession(run, id);
    expect(view.entries.some((e) => e.kind === 'ledger.refunded')).toBe(true);
    await expectLedgersAgree(run, view, 'abort-race');
    for (let i = 0; i < 3; i++) expect(nodeLedger(run, i).unsettled()).toEqual([]);
    expect(view.entries.some((e) => e.kind === 'party.accepted' && e.body.party === 3)).toBe(false);
  }, 120_000);
});
