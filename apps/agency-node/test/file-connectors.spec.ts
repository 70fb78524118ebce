import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSessionPlan, readCatalogueDirectory, type SessionPlan } from '#concord/protocol';
import { cappedSavings } from '../src/connectors/card-fare-capping.connectors.js';
import type { PaidRow } from '../src/connectors/card-days.js';
import { CONNECTORS } from '../src/connectors/connectors.js';
import { ConnectorError } from '../src/connectors/connector-error.js';

/**
 * The catalogue's file connectors on a hand-built world (fixtures/ok) whose answers are worked
 * out by hand: contribution caps, the transfer window's edges, unknown routes, stops and
 * products, other service days, ties broken by transaction id, clipping. Then one defect per file
 * (fixtures/not-ok): every bad row stops the read with its file, line and column.
 */
const catalogue = readCatalogueDirectory('protocols');
const ok = (file: string): string => join(import.meta.dirname, 'fixtures', 'ok', file);
const bad = (file: string): string => join(import.meta.dirname, 'fixtures', 'not-ok', file);

const AXES: Record<string, string[]> = {
  route: ['A', 'B', 'C'],
  from_route: ['A', 'B', 'C'],
  to_route: ['A', 'B', 'C'],
  zone: ['Z1', 'Z2', 'Z3'],
  stop: ['S1', 'S2', 'S3'],
  fare_product: ['adult_single', 'reduced_single'],
};

function planOf(protocol: string): SessionPlan {
  const entry = catalogue.find(protocol)!;
  const axisValues = Object.fromEntries(
    entry.analysis.definition.axes.flatMap((a) =>
      'public' in a.source ? [[a.name, AXES[a.name]]] : [],
    ),
  );
  return compileSessionPlan(entry.analysis, {
    sessionId: `fixture-${protocol}`,
    parameters: { serviceDate: '2026-03-10' },
    axisValues,
    budget: '1/2',
    parties: { transit: 1, payments: 2, planning: 3 },
  });
}

async function read(protocol: string, input: string, files: Record<string, string>) {
  const plan = planOf(protocol);
  const planInput = plan.inputs.find((i) => i.name === input)!;
  const result = await CONNECTORS[planInput.connector]({ plan, input: planInput, files });
  return { values: Array.from(result.values), report: result.report };
}

async function failure(
  protocol: string,
  input: string,
  files: Record<string, string>,
): Promise<ConnectorError> {
  try {
    await read(protocol, input, files);
  } catch (e) {
    if (e instanceof ConnectorError) return e;
    throw e;
  }
  throw new Error('expected a ConnectorError');
}

describe('the catalogue connectors on hand-built files', () => {
  it('apc-boardings-by-zone: record_use 0 rows of the day, each stop clipped, then summed per zone', async () => {
    const { values, report } = await read('ridership-per-capita', 'boardings', {
      boardAlight: ok('board_alight.txt'),
      stopZones: ok('stop_zone.csv'),
    });
    // S1 5 + 7 and S2 3 in Z1; S3 2,000,000 clipped to 1,000,000 in Z2; S9 has no zone.
    expect(values).toEqual([15, 1_000_000, 0]);
    expect(report).toEqual({ rowsRead: 7, rowsUsed: 4, rowsDropped: 3, cellsClipped: 1 });
  });

  it('population-by-zone: B01003_001E per published zone, clipped', async () => {
    const { values, report } = await read('ridership-per-capita', 'population', {
      zones: ok('zones.csv'),
    });
    expect(values).toEqual([4000, 100_000, 0]);
    expect(report).toEqual({ rowsRead: 4, rowsUsed: 3, rowsDropped: 1, cellsClipped: 1 });
  });

  it('stop equity indicators: classified, low-income and minority stops', async () => {
    const files = { stopEquity: ok('stop_equity.csv') };
    expect((await read('title-vi-fare-equity', 'classified', files)).values).toEqual([1, 1, 0]);
    expect((await read('title-vi-fare-equity', 'low_income', files)).values).toEqual([1, 0, 0]);
    expect((await read('title-vi-fare-equity', 'minority', files)).values).toEqual([0, 1, 0]);
  });

  it('taps-by-stop-product: the first 8 tap-ons per token-day, unknown stops and products dropped', async () => {
    const { values, report } = await read('title-vi-fare-equity', 'taps', {
      fareTransactions: ok('fare_transactions.csv'),
    });
    // (stop, product) stop-major: S1 adult 3 (the route "0" tap counts), S2 adult 2, S3 adult 2,
    // one reduced tap at each stop; the 9th and 10th taps, S9 and mystery_pass are dropped.
    expect(values).toEqual([3, 1, 2, 1, 2, 1]);
    expect(report.rowsRead).toBe(17);
    expect(report.rowsUsed).toBe(10);
  });

  it('transfers-by-route-pair: the window edges, the cap of 4, route "0", ties by transaction id', async () => {
    const { values } = await read('transfers', 'transfers', {
      fareTransactions: ok('fare_transactions.csv'),
    });
    // tokA: A→B at exactly 7200 s; B→A at 7201 s is no transfer; A→0 and 0→C use up the cap;
    // C→A is the 4th; A→B after it is over the cap. tokB: B→A over midnight, then A→C at 0 s
    // (u2 sorts before u3 at the same time).
    expect(values).toEqual([0, 1, 1, 1, 0, 0, 1, 0, 0]);
  });

  it('reads the same input from a file whatever the source setting says for files', async () => {
    const { values } = await read('ridership-per-capita', 'population', {
      source: 'files',
      zones: ok('zones.csv'),
    });
    expect(values).toEqual([4000, 100_000, 0]);
    const e = await failure('ridership-per-capita', 'population', {
      source: 'mysql',
      zones: ok('zones.csv'),
    });
    expect(e.message).toContain('unknown data source');
  });

  it('names the missing configuration entries', async () => {
    const e = await failure('ridership-per-capita', 'boardings', {
      boardAlight: ok('board_alight.txt'),
    });
    expect(e.file).toBe('node configuration');
    expect(e.message).toContain('"stopZones"');
  });
});

describe('the fare-capping connectors (per card, by zone) on hand-built files', () => {
  const files = { fareTransactions: ok('fare_transactions.csv'), stopZones: ok('stop_zone.csv') };
  const cards = ['tokA', 'tokB', 'tokC', 'tokZ'];
  const perCard = async (input: string, plan = planOf('reduced-fare-capping')) => {
    const planInput = plan.inputs.find((i) => i.name === input)!;
    const result = await CONNECTORS[planInput.connector]({ plan, input: planInput, files, cards });
    return { values: Array.from(result.values), report: result.report };
  };

  it('card-spend-by-zone: the first 8 paid rows, 500 cents a token-day, by the zone of each stop', async () => {
    const { values, report } = await perCard('card_spend');
    // Rows in card order, zones Z1 Z2 Z3. tokA keeps t01…t07: 200 + 200 + the 50 tap-off at S1
    // in Z1 (S3's rows pay 0; S9 has no zone); t08…t10 are over 8 rows. tokB: 100 at S2 (Z1).
    // tokC's only paid row of the day pays 0; tokZ has none. Rows on the grid: 7 + 3 + 1.
    expect(values).toEqual([450, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(report).toMatchObject({ rowsRead: 17, rowsUsed: 11, cellsClipped: 0 });
  });

  it('card-savings-by-zone: what the 200-cent daily cap saves, on the tap over it and every paid tap after', async () => {
    const { values } = await perCard('card_savings');
    // tokA pays 200 at t01 (the cap), then t03's 200 and t06x's 50 are saved; tokB stays under.
    expect(values).toEqual([250, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('replays the caps row by row and clips the savings to the bound', () => {
    const row = (cents: number): PaidRow => ({
      at: '',
      id: '',
      tapOn: true,
      route: 'A',
      product: 'adult_single',
      stop: 'S1',
      hour: 7,
      cents: BigInt(cents),
    });
    const rows = [100, 100, 100, 100, 100, 100].map(row);
    // Spend clipped at 500 (the 6th row pays nothing), 200 charged, the rest saved.
    expect(cappedSavings(rows, 500, 300)).toEqual([0, 0, 100, 100, 100, 0]);
    expect(cappedSavings(rows, 500, 250)).toEqual([0, 0, 100, 100, 50, 0]);
    expect(cappedSavings([row(150), row(150)], 500, 300)).toEqual([0, 100]);
  });

  it('refuses without the crosswalk, or without the spend input the savings are bounded by', async () => {
    const plan = planOf('reduced-fare-capping');
    const input = plan.inputs.find((i) => i.name === 'card_savings')!;
    const run = (p: SessionPlan, f: Record<string, string>) =>
      CONNECTORS[input.connector]({ plan: p, input, files: f, cards }).then(
        () => {
          throw new Error('expected a ConnectorError');
        },
        (e: unknown) => e as ConnectorError,
      );
    const noCrosswalk = await run(plan, { fareTransactions: ok('fare_transactions.csv') });
    expect(noCrosswalk).toBeInstanceOf(ConnectorError);
    expect(noCrosswalk.message).toContain('"stopZones"');
    const noSpend = await run(
      { ...plan, inputs: plan.inputs.filter((i) => i.name !== 'card_spend') },
      files,
    );
    expect(noSpend).toBeInstanceOf(ConnectorError);
    expect(noSpend.message).toContain('card-spend-by-zone');
  });
});

describe('bad rows: file, line and column', () => {
  const fares = (file: string) => ({ fareTransactions: bad(file) });
  it.each([
    ['transfers', 'transfers', fares('fare_transactions.bad-timestamp.csv'), 4, 'event_timestamp'],
    [
      'title-vi-fare-equity',
      'taps',
      fares('fare_transactions.bad-timestamp.csv'),
      4,
      'event_timestamp',
    ],
    ['transfers', 'transfers', fares('fare_transactions.empty-token.csv'), 6, 'token_id'],
    ['transfers', 'transfers', fares('fare_transactions.bad-date.csv'), 3, 'service_date'],
    ['title-vi-fare-equity', 'taps', fares('fare_transactions.short-row.csv'), 7, undefined],
    ['title-vi-fare-equity', 'taps', fares('fare_transactions.unclosed-quote.csv'), 5, undefined],
    [
      'ridership-per-capita',
      'boardings',
      { boardAlight: bad('board_alight.bad-count.txt'), stopZones: ok('stop_zone.csv') },
      5,
      'boardings',
    ],
    [
      'ridership-per-capita',
      'boardings',
      { boardAlight: ok('board_alight.txt'), stopZones: bad('stop_zone.duplicate-stop.csv') },
      6,
      'stop_id',
    ],
    [
      'ridership-per-capita',
      'population',
      { zones: bad('zones.negative-population.csv') },
      3,
      'B01003_001E',
    ],
    [
      'ridership-per-capita',
      'population',
      { zones: bad('zones.missing-column.csv') },
      1,
      'B01003_001E',
    ],
    [
      'title-vi-fare-equity',
      'minority',
      { stopEquity: bad('stop_equity.bad-flag.csv') },
      3,
      'minority',
    ],
    [
      'title-vi-fare-equity',
      'low_income',
      { stopEquity: bad('stop_equity.bad-flag.csv') },
      3,
      'minority',
    ],
  ] as const)('%s / %s: line %i, column %s', async (protocol, input, files, line, column) => {
    const e = await failure(protocol, input, files);
    const file = Object.values(files).find((f) => f.includes('not-ok'))!;
    expect(e.file).toBe(file.split('/').pop());
    expect(e.line).toBe(line);
    expect(e.column).toBe(column);
    expect(e.message).toMatch(new RegExp(`^${e.file.replace('.', '\\.')}:${line}`));
  });

  it('never puts a value of the bad row in the message', async () => {
    const e = await failure('ridership-per-capita', 'population', {
      zones: bad('zones.negative-population.csv'),
    });
    expect(e.message).not.toContain('666');
    const t = await failure('transfers', 'transfers', fares('fare_transactions.bad-timestamp.csv'));
    expect(t.message).not.toContain('09:00');
  });

  it('reports a missing file as a connector error (the node declines)', async () => {
    const e = await failure('transfers', 'transfers', { fareTransactions: bad('nowhere.csv') });
    expect(e.message).toBe('nowhere.csv: file not found');
  });
});
