import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
}

interface Coverage {
  agencies: {
    id: string;
    role: string;
    announced: boolean;
    inputs: { connector: string; kind: string; dates?: string[] }[];
  }[];
  protocols: {
    id: string;
    windowDays: number;
    serviceDates: string[] | null;
    complete: boolean;
    inputs: { input: string; agencyId: string | null; kind: string }[];
  }[];
}

/** `days` days after `date` (YYYY-MM-DD). */
function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Data coverage for real: three node processes scan their synthetic city's files at start and
 * announce the service dates they hold; the catalogue's coverage shows them; a report for a date
 * they lack is refused with the agencies named, before anything is charged.
 */
describe('data coverage end to end', { timeout: 60_000 }, () => {
  let run: RunningConsortium;

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '1357' });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  /** The coverage once every agency announced (the announcement follows the login). */
  async function announced(): Promise<Coverage> {
    for (let i = 0; i < 300; i++) {
      const { body } = await run.client.request<Coverage>('GET', '/catalogue/coverage');
      if (body.agencies.length === 3 && body.agencies.every((a) => a.announced)) return body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the agencies did not announce their coverage');
  }

  it('lists each agency’s service dates and, per protocol, the dates all its inputs hold', async () => {
    const coverage = await announced();
    const byRole = new Map(coverage.agencies.map((a) => [a.role, a]));
    // The small city's processor and APC counts hold 30 days (for reduced-fare-capping and
    // revenue-per-boarding-30-days), one range each.
    const month = `${run.serviceDate}/${plusDays(run.serviceDate, 29)}`;
    expect(byRole.get('transit')!.inputs).toContainEqual({
      connector: 'apc-boardings-by-route-hour',
      kind: 'dated',
      dates: [month],
    });
    for (const connector of ['fare-revenue-by-route-hour', 'card-tokens', 'card-savings-by-zone'])
      expect(byRole.get('payments')!.inputs).toContainEqual({
        connector,
        kind: 'dated',
        dates: [month],
      });
    expect(byRole.get('planning')!.inputs).toContainEqual({
      connector: 'population-by-zone',
      kind: 'any-date',
    });
    const revenue = coverage.protocols.find((p) => p.id === 'revenue-per-boarding')!;
    expect(revenue).toMatchObject({ windowDays: 1, serviceDates: [month], complete: true });
    // A week can start on any of the first 24 days (its seven days held), 30 days on the first only.
    const capping = coverage.protocols.find((p) => p.id === 'reduced-fare-capping')!;
    expect(capping).toMatchObject({
      windowDays: 7,
      serviceDates: [`${run.serviceDate}/${plusDays(run.serviceDate, 23)}`],
      complete: true,
    });
    const thirty = coverage.protocols.find((p) => p.id === 'revenue-per-boarding-30-days')!;
    expect(thirty).toMatchObject({
      windowDays: 30,
      serviceDates: [run.serviceDate],
      complete: true,
    });
  });

  it('refuses a report for a date no agency holds, naming them, and charges nothing', async () => {
    await announced();
    const ledgerBefore = await run.admin.request('GET', '/ledger');
    const reportsBefore = await run.admin.request<unknown[]>('GET', '/reports?limit=100');
    const missing = plusDays(run.serviceDate, 30);
    const refused = await run.client.request<Problem>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: missing },
      budget: '1/2',
      requestId: 'e2e-coverage-missing-day',
    });
    expect([refused.status, refused.body.code]).toEqual([422, 'no-data-for-date']);
    const transit = run.consortium.agencies.find((a) => a.role === 'transit')!.id;
    const payments = run.consortium.agencies.find((a) => a.role === 'payments')!.id;
    expect(refused.body.detail).toContain(missing);
    expect(refused.body.detail).toContain(transit);
    expect(refused.body.detail).toContain(payments);
    expect((await run.admin.request('GET', '/ledger')).body).toEqual(ledgerBefore.body);
    expect((await run.admin.request<unknown[]>('GET', '/reports?limit=100')).body).toHaveLength(
      reportsBefore.body.length,
    );
  });
});
