import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { compileSessionPlan, readCatalogueDirectory, type SessionPlan } from '#concord/protocol';
import { ConnectorCoverage } from '../connectors/connector-coverage.js';
import { CONNECTORS } from '../connectors/connectors.js';
import { readPlanInputs } from './plan-inputs.js';

const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;

function plan(serviceDate: string): SessionPlan {
  return compileSessionPlan(entry.analysis, {
    sessionId: '00000000-0000-4000-8000-00000000da7e',
    parameters: { serviceDate },
    axisValues: { route: ['R1'] },
    budget: '1/2',
    parties: { transit: 1, payments: 2, planning: 3 },
  });
}

/** A fare file (TIDES columns) with taps on the given GTFS service dates only. */
function fareFile(dir: string, dates: readonly string[]): string {
  const path = join(dir, 'fare_transactions.csv');
  const header = 'transaction_id,service_date,event_timestamp,token_id,fare_action,route_id,amount';
  const rows = dates.map(
    (d, i) =>
      `t${i},${d},${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T08:15:00,tok${i},tap-on,R1,2.50`,
  );
  writeFileSync(path, [header, ...rows, ''].join('\n'));
  return path;
}

function setup(dates: readonly string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'concord-plan-inputs-'));
  const fareTransactions = fareFile(dir, dates);
  const data = {
    'fare-revenue-by-route-hour': { fareTransactions },
    'population-by-zone': { zones: join(dir, 'zones.csv') },
  };
  const coverage = new ConnectorCoverage(data, { now: () => 0, databaseEveryMs: 0 });
  return {
    fareTransactions,
    coverage,
    deps: { connectors: CONNECTORS, data, coverage, logger: pino({ level: 'silent' }) },
  };
}

describe('an agency node’s inputs and data coverage', () => {
  it('announces the dates its files hold as ranges, and date-free connectors as any-date', async () => {
    const { coverage } = setup(['20260309', '20260310', '20260311', '20260314']);
    expect(await coverage.compute()).toEqual([
      {
        connector: 'fare-revenue-by-route-hour',
        kind: 'dated',
        dates: ['2026-03-09/2026-03-11', '2026-03-14'],
      },
      { connector: 'population-by-zone', kind: 'any-date' },
    ]);
    expect(await coverage.of('transfers-by-route-pair')).toEqual({
      connector: 'transfers-by-route-pair',
      kind: 'dated',
      dates: [],
    });
  });

  it('rescans a file that changed', async () => {
    const { coverage, fareTransactions } = setup(['20260310']);
    expect((await coverage.of('fare-revenue-by-route-hour')).dates).toEqual(['2026-03-10']);
    fareFile(join(fareTransactions, '..'), ['20260310', '20260312']);
    utimesSync(fareTransactions, new Date(), new Date(Date.now() + 5_000));
    expect((await coverage.of('fare-revenue-by-route-hour')).dates).toEqual([
      '2026-03-10',
      '2026-03-12',
    ]);
  });

  it('refuses a plan for a date the connector has no rows for with no-data-for-date', async () => {
    const { deps } = setup(['20260310']);
    await expect(readPlanInputs(plan('2026-03-11'), 2, deps)).rejects.toMatchObject({
      code: 'no-data-for-date',
      connector: 'fare-revenue-by-route-hour',
      serviceDate: '2026-03-11',
    });
    // Party 1's input has no data configured on this node: its configuration error, not a date.
    await expect(readPlanInputs(plan('2026-03-10'), 1, deps)).rejects.toMatchObject({
      code: 'invalid-data',
    });
    const inputs = await readPlanInputs(plan('2026-03-10'), 2, deps);
    expect([...inputs.keys()]).toEqual(['revenue']);
    expect(inputs.get('revenue')!.reduce((a, b) => a + b, 0)).toBe(250);
  });

  it('refuses a plan over a week when the coverage lacks any of its days, naming the first', async () => {
    const { deps } = setup(['20260310', '20260311', '20260312', '20260314', '20260315']);
    const day = plan('2026-03-10');
    const week = { ...day, privacyUnit: { ...day.privacyUnit, window: '2026-03-10..2026-03-16' } };
    await expect(readPlanInputs(week, 2, deps)).rejects.toMatchObject({
      code: 'no-data-for-date',
      connector: 'fare-revenue-by-route-hour',
      serviceDate: '2026-03-13',
    });
    // The day plan of the same first day is served.
    expect([...(await readPlanInputs(day, 2, deps)).keys()]).toEqual(['revenue']);
  });
});
