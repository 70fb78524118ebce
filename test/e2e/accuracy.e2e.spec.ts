import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

interface Accuracy {
  budget: string;
  outputs: { name: string; halfWidth: string; budget: string }[];
  privacy: { rho: string; epsilonText: string };
}

interface HalfWidthPlan {
  budget: string | null;
  needed: { name: string; budget: string | null; achieved: string }[];
  accuracy: Accuracy | null;
}

interface Report {
  id: string;
  state: string;
  outputs: { name: string; intervalHalfWidth: string }[];
  privacy: { rho: string; epsilonText: string };
}

/**
 * Accuracy before spending, against a real consortium: what `GET /catalogue/:id/accuracy`
 * promises for a budget is exactly what the release at that budget then publishes.
 */
describe('accuracy before spending', { timeout: 60_000 }, () => {
  let run: RunningConsortium;

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '1313' });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('promises the half-widths and the ε the release then publishes, and the budget a half-width needs', async () => {
    const before = await run.client.request<HalfWidthPlan>(
      'GET',
      '/catalogue/revenue-per-boarding/accuracy?halfWidth=40&output=boardings',
    );
    expect(before.status).toBe(200);
    const budget = before.body.budget!;
    expect(budget).toBe(before.body.needed[0].budget);
    expect(BigInt(before.body.needed[0].achieved)).toBeLessThanOrEqual(40n);

    const promised = await run.client.request<Accuracy>(
      'GET',
      `/catalogue/revenue-per-boarding/accuracy?budget=${encodeURIComponent(budget)}`,
    );
    expect(promised.status).toBe(200);
    expect(promised.body).toEqual(before.body.accuracy);
    // Nothing was charged by asking.
    const ledger = await run.client.request<{ buckets: unknown[] }>('GET', '/ledger');
    expect(ledger.body.buckets).toEqual([]);

    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget,
      requestId: 'e2e-accuracy-request-1',
    });
    expect(created.status).toBe(202);
    const report = await run.client.waitForReport<Report>(created.body.id);
    expect(report.state).toBe('completed');
    expect(report.outputs.map((o) => [o.name, o.intervalHalfWidth])).toEqual(
      promised.body.outputs.map((o) => [o.name, o.halfWidth]),
    );
    expect(report.privacy.rho).toBe(promised.body.privacy.rho);
    expect(report.privacy.epsilonText).toBe(promised.body.privacy.epsilonText);
  });

  it('refuses a query with neither or both of budget and halfWidth, and a budget out of range', async () => {
    const neither = await run.client.request('GET', '/catalogue/revenue-per-boarding/accuracy');
    expect(neither.status).toBe(400);
    const both = await run.client.request(
      'GET',
      '/catalogue/revenue-per-boarding/accuracy?budget=1/2&halfWidth=3',
    );
    expect(both.status).toBe(400);
    const outside = await run.client.request(
      'GET',
      '/catalogue/revenue-per-boarding/accuracy?budget=9',
    );
    expect(outside.status).toBe(422);
    const unknown = await run.client.request('GET', '/catalogue/nothing-here/accuracy?budget=1');
    expect(unknown.status).toBe(404);
  });
});
