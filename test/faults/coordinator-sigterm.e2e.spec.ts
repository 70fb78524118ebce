import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCompletedOnce, expectLedgersAgree, viewSession } from '../support/fault-checks.js';
import { type FaultConsortium, startFaultConsortium } from '../support/fault-consortium.js';
import { armFailpoints, COORDINATOR_FAILPOINTS } from '../support/failpoint-names.js';
import { type Report, requestRevenueReport } from '../support/revenue-report.js';

/**
 * SIGTERM to the coordinator at each phase of a session: it drains — takes no new session, lets
 * the running one finish (or, past the drain timeout, leaves it parked: everything it decided is
 * already written) — and exits 0; the next start completes whatever was parked.
 */
describe('the coordinator sent SIGTERM at each phase of a session', () => {
  let run: FaultConsortium;

  beforeAll(async () => {
    run = await startFaultConsortium({ seed: '7202' });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  async function sigtermAt(point: string, requestId: string, env: NodeJS.ProcessEnv = {}) {
    await run.stopCoordinator('SIGTERM');
    await run.startCoordinator({ env: { ...armFailpoints(point as never), ...env } });
    await run.waitForNodes();
    const first = requestRevenueReport(run.client, run.setup.serviceDate, requestId).catch(
      () => undefined,
    );
    await run.coordinator.waitForFailpoint(point);
    const stopped = run.coordinator;
    const exit = await run.stopCoordinator('SIGTERM');
    await first;
    await run.startCoordinator();
    const id = await requestRevenueReport(run.client, run.setup.serviceDate, requestId);
    await run.client.waitForReport<Report>(id);
    return { exit, output: stopped.output(), view: await viewSession(run, id) };
  }

  it.each(COORDINATOR_FAILPOINTS)(
    'at %s: drains, exits 0, and the session completes',
    async (point) => {
      const { exit, view } = await sigtermAt(point, `term-${point}`);
      expect(exit).toEqual({ code: 0, signal: null });
      expectCompletedOnce(view, point);
      await expectLedgersAgree(run, view, point);
    },
    120_000,
  );

  it('with no time to drain: parks the running session, exits 0, and the next start completes it', async () => {
    const point = 'coordinator.input-relayed';
    const { exit, output, view } = await sigtermAt(point, 'term-parked', {
      DRAIN_TIMEOUT_MS: '0',
    });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/sessions parked for the next start/);
    expectCompletedOnce(view, 'parked');
    await expectLedgersAgree(run, view, 'parked');
  }, 120_000);
});
