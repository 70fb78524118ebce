import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
}

/**
 * A join protocol whose dense per-card rows do not fit a session on the consortium's public grid
 * (reduced-fare-od-flows on the medium city's 250 zones: 65,536 × 62,500 elements per vector) is
 * refused by the coordinator with a typed error naming the size and the limit, before anything is
 * charged or recorded. No node is needed: the refusal comes from the plan alone.
 */
describe('a request whose grid is too large for a session', { timeout: 120_000 }, () => {
  let run: RunningConsortium;

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '1417', scale: 'medium', startNodes: false });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('is refused with plan-too-large, naming the size and the limit, and charges nothing', async () => {
    const ledgerBefore = await run.admin.request('GET', '/ledger');
    const reportsBefore = await run.admin.request<unknown[]>('GET', '/reports?limit=100');
    const refused = await run.client.request<Problem>('POST', '/reports', {
      protocol: 'reduced-fare-od-flows',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
      requestId: 'e2e-plan-too-large',
    });
    expect([refused.status, refused.body.code]).toEqual([422, 'plan-too-large']);
    const zones = run.city.planning.zones.length;
    expect(zones).toBeGreaterThan(15);
    const perCard = (65536 * zones * zones).toLocaleString('en-US');
    expect(refused.body.detail).toContain(
      `input card_flows (card × from_zone × to_zone = 65,536 × ${zones} × ${zones} = ${perCard})`,
    );
    expect(refused.body.detail).toContain('limit of 33,554,432');
    expect((await run.admin.request('GET', '/ledger')).body).toEqual(ledgerBefore.body);
    expect((await run.admin.request<unknown[]>('GET', '/reports?limit=100')).body).toHaveLength(
      reportsBefore.body.length,
    );
  });
});
