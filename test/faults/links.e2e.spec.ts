import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCompletedOnce, expectLedgersAgree, viewSession } from '../support/fault-checks.js';
import { type FaultConsortium, startFaultConsortium } from '../support/fault-consortium.js';
import { armFailpoints, NODE_FAILPOINTS } from '../support/failpoint-names.js';
import { type Report, requestRevenueReport } from '../support/revenue-report.js';

const PAYMENTS = 1;

/**
 * The nodes' connections cut (TCP reset by a proxy between the nodes and the coordinator) at each
 * phase of a session, every process alive: the nodes reconnect, say which sessions they hold, and
 * the coordinator asks each for what it has not recorded and every unacknowledged envelope. The
 * session completes, released once. A stalled node (its process stopped) is noticed by the
 * application heartbeat within seconds and, once it runs again, resumes the same way.
 */
describe('transient faults of the nodes’ connections', () => {
  let run: FaultConsortium;

  beforeAll(async () => {
    run = await startFaultConsortium({
      seed: '7204',
      nodeProxy: true,
      coordinatorEnv: { NODE_STALL_MS: '2000', HEARTBEAT_INTERVAL_MS: '250' },
    });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  it.each(NODE_FAILPOINTS)(
    'sockets dropped at %s: the session resumes and completes',
    async (point) => {
      await run.restartNode(PAYMENTS, { env: armFailpoints(point) });
      await run.waitForNodes();
      const id = await requestRevenueReport(run.client, run.setup.serviceDate, `drop-${point}`);
      await run.node(PAYMENTS).waitForFailpoint(point);
      expect(run.nodeLink!.drop()).toBeGreaterThanOrEqual(3);
      run.node(PAYMENTS).resume();
      await run.client.waitForReport<Report>(id);
      const view = await viewSession(run, id);
      expectCompletedOnce(view, point);
      await expectLedgersAgree(run, view, point);
    },
    120_000,
  );

  it('a stalled node is noticed within seconds; running again, it resumes its session', async () => {
    await run.restartNode(PAYMENTS, { env: armFailpoints('node.committed') });
    await run.waitForNodes();
    const id = await requestRevenueReport(run.client, run.setup.serviceDate, 'stalled-node');
    await run.node(PAYMENTS).waitForFailpoint('node.committed'); // stopped: answers nothing
    let noticed = false;
    for (let i = 0; i < 100 && !noticed; i++) {
      const agencies = await run.client.request<{ party: number; connected: boolean }[]>(
        'GET',
        '/agencies',
      );
      noticed = agencies.body.some((a) => a.party === PAYMENTS + 1 && !a.connected);
      if (!noticed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(noticed).toBe(true);
    run.node(PAYMENTS).resume();
    await run.client.waitForReport<Report>(id);
    const view = await viewSession(run, id);
    expectCompletedOnce(view, 'stalled');
    await expectLedgersAgree(run, view, 'stalled');
  }, 120_000);
});
