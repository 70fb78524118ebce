import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCompletedOnce, expectLedgersAgree, viewSession } from '../support/fault-checks.js';
import { type FaultConsortium, startFaultConsortium } from '../support/fault-consortium.js';
import { armFailpoints, COORDINATOR_FAILPOINTS } from '../support/failpoint-names.js';
import { type Report, requestRevenueReport } from '../support/revenue-report.js';

/**
 * `kill -9` of the coordinator at each phase of a session, then a new coordinator process on the
 * same database: the session resumes and completes, released once — the values served are those
 * the three agencies sealed (the verifier recomputes the release digest from them), no envelope is
 * recorded twice, and every ledger agrees. The phase is pinned by a failpoint that stops the
 * coordinator right after the step named; the kill comes from outside.
 */
describe('the coordinator killed with SIGKILL at each phase of a session', () => {
  let run: FaultConsortium;

  beforeAll(async () => {
    run = await startFaultConsortium({ seed: '7201' });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  it.each(COORDINATOR_FAILPOINTS)(
    'at %s: a restart on the same database resumes the session to the end',
    async (point) => {
      await run.stopCoordinator('SIGTERM');
      await run.startCoordinator({ env: armFailpoints(point) });
      await run.waitForNodes();
      const requestId = `kill9-${point}`;
      // Not awaited: at `coordinator.invited` the coordinator stops before it answers.
      const first = requestRevenueReport(run.client, run.setup.serviceDate, requestId).catch(
        () => undefined,
      );
      await run.coordinator.waitForFailpoint(point);
      expect(await run.stopCoordinator('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      await first;
      await run.startCoordinator();
      // The analyst, unsure whether the first request went through, repeats it: same session.
      const id = await requestRevenueReport(run.client, run.setup.serviceDate, requestId);
      await run.client.waitForReport<Report>(id);
      const view = await viewSession(run, id);
      expectCompletedOnce(view, point);
      await expectLedgersAgree(run, view, point);
    },
    120_000,
  );
});
