import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileSessionPlan,
  planServiceDates,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import { cappedSavings } from '../src/connectors/card-fare-capping.connectors.js';
import type { PaidRow } from '../src/connectors/card-days.js';
import { CONNECTORS, TOKEN_CONNECTORS } from '../src/connectors/connectors.js';
import { ConnectorError } from '../src/connectors/connector-error.js';
import { NoDataForDateError } from '../src/connectors/no-data-for-date.js';
import { ReadScope } from '../src/connectors/read-scope.js';

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

describe('the fare-capping connectors (per card, by zone, over a service week) on hand-built files', () => {
  const files = { fareTransactions: ok('fare_transactions.csv'), stopZones: ok('stop_zone.csv') };
  const cards = ['tokA', 'tokB', 'tokC', 'tokZ'];
  const perCard = async (
    input: string,
    options: { files?: Record<string, string>; cards?: string[]; scope?: ReadScope } = {},
  ) => {
    const plan = planOf('reduced-fare-capping');
    const planInput = plan.inputs.find((i) => i.name === input)!;
    const result = await CONNECTORS[planInput.connector]({
      plan,
      input: planInput,
      files: options.files ?? files,
      cards: options.cards ?? cards,
      scope: options.scope,
    });
    return { values: Array.from(result.values), report: result.report };
  };

  it('reads the seven days of the week from the requested first day', () => {
    expect(planServiceDates(planOf('reduced-fare-capping'))).toEqual([
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
      '2026-03-15',
      '2026-03-16',
    ]);
  });

  it('card-spend-by-zone: the first 8 paid rows, 500 cents a token-day, by the zone of each stop', async () => {
    const { values, report } = await perCard('card_spend');
    // Rows in card order, zones Z1 Z2 Z3. tokA keeps t01…t07: 200 + 200 + the 50 tap-off at S1
    // in Z1 (S3's rows pay 0; S9 has no zone); t08…t10 are over 8 rows. tokB: 100 at S2 (Z1).
    // tokC pays 0 on the 10th and 200 at S1 on the 11th (same week); tokZ has none.
    expect(values).toEqual([450, 0, 0, 100, 0, 0, 200, 0, 0, 0, 0, 0]);
    expect(report).toMatchObject({ rowsRead: 17, rowsUsed: 12, cellsClipped: 0 });
  });

  it('card-savings-by-zone: what the 200-cent daily cap saves, on the tap over it and every paid tap after', async () => {
    const { values } = await perCard('card_savings');
    // tokA pays 200 at t01 (the cap), then t03's 200 and t06x's 50 are saved; tokB stays under;
    // tokC's 200 on the 11th is exactly its daily cap.
    expect(values).toEqual([250, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  describe('over a week of taps (fare_transactions.week.csv)', () => {
    const week = {
      files: { fareTransactions: ok('fare_transactions.week.csv'), stopZones: ok('stop_zone.csv') },
      cards: ['rA', 'rB', 'rC', 'rD'],
    };

    it('card-spend-by-zone: 500 cents a token-day and 2,500 a token-week', async () => {
      const { values, report } = await perCard('card_spend', week);
      // rA: 2 × 100 a day in Z1 for five days, then 100 in Z1 and 2 × 100 in Z2. rB: 4 × 250 a day
      // in Z1 kept to 500 a day for four days, then 500 in Z2 reaches 2,500 for the week, so its
      // tap on the 15th counts 0. rC: 300 a day for four days and 100 in Z1, 2 × 150 in Z2.
      // rD: 100 in Z1 on the 12th. The row on the 17th is another week's.
      expect(values).toEqual([1100, 200, 0, 2000, 500, 0, 1300, 300, 0, 100, 0, 0]);
      expect(report).toMatchObject({ rowsRead: 45, rowsUsed: 44, cellsClipped: 0 });
    });

    it('card-savings-by-zone: the weekly cap binds across days, the daily one within them', async () => {
      const { values } = await perCard('card_savings', week);
      // rA never goes over 200 a day, but has paid 1,000 by the end of the 14th: every tap after
      // is saved (100 in Z1, 2 × 100 in Z2). rB saves 300 a day (200 charged of 500) for five
      // days: 1,500, the week's bound, exactly. rC saves 100 a day on its second tap for four
      // days (Z1); on the 15th the weekly cap (100 left) binds before the daily one (200 left):
      // 50 saved, then all 150 on the 16th (Z2).
      expect(values).toEqual([100, 200, 0, 1200, 300, 0, 400, 200, 0, 0, 0, 0]);
    });

    it('card-tokens: the cards with a paid row on any day of the week; a day protocol keeps its day', async () => {
      const tokens = async (protocol: string, fareTransactions: string) =>
        (
          await TOKEN_CONNECTORS['card-tokens']({
            plan: planOf(protocol),
            files: { fareTransactions },
          })
        ).tokens;
      expect(await tokens('reduced-fare-capping', week.files.fareTransactions)).toEqual([
        'rA',
        'rB',
        'rC',
        'rD',
      ]);
      expect(await tokens('reduced-fare-use', week.files.fareTransactions)).toEqual([
        'rA',
        'rB',
        'rC',
      ]);
    });

    it('declines with no-data-for-date, naming the first day of the week without a paid row', async () => {
      const refusal = await TOKEN_CONNECTORS['card-tokens']({
        plan: planOf('reduced-fare-capping'),
        files: { fareTransactions: ok('fare_transactions.csv') },
      }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(NoDataForDateError);
      expect((refusal as NoDataForDateError).code).toBe('no-data-for-date');
      expect((refusal as NoDataForDateError).serviceDate).toBe('2026-03-12');
    });

    it("parses the fare file once for a session's card list and both per-card inputs", async () => {
      let parses = 0;
      const scope = new ReadScope();
      const once = scope.once.bind(scope);
      scope.once = <T>(key: string, read: () => Promise<T>) =>
        once(key, () => {
          parses++;
          return read();
        });
      const plan = planOf('reduced-fare-capping');
      await TOKEN_CONNECTORS['card-tokens']({ plan, files: week.files, scope });
      await perCard('card_spend', { ...week, scope });
      await perCard('card_savings', { ...week, scope });
      expect(parses).toBe(1);
    });
  });

  it('replays the caps row by row and clips the savings to the bound', () => {
    const row = (cents: number): PaidRow => ({
      at: 0,
      id: '',
      tapOn: true,
      route: 'A',
      product: 'adult_single',
      stop: 'S1',
      hour: 7,
      cents,
    });
    const day = (total: number) => ({ dayTotal: total, total });
    const rows = [100, 100, 100, 100, 100, 100].map(row);
    // Spend clipped at 500 (the 6th row pays nothing), 200 charged, the rest saved.
    expect(cappedSavings([rows], day(500), day(300))).toEqual([[0, 0, 100, 100, 100, 0]]);
    expect(cappedSavings([rows], day(500), day(250))).toEqual([[0, 0, 100, 100, 50, 0]]);
    expect(cappedSavings([[row(150), row(150)]], day(500), day(300))).toEqual([[0, 100]]);
    // Five days of 2 × 100 reach the weekly cap without going over the daily one; from the
    // sixth day every cent is saved, up to the savings' per-day total (150 here) and the week's
    // spend total (1,300 here: 100 of the seventh day's spend is left).
    const week = [1, 2, 3, 4, 5, 6, 7].map(() => [row(100), row(100)]);
    expect(
      cappedSavings(week, { dayTotal: 500, total: 1300 }, { dayTotal: 150, total: 1500 }),
    ).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [100, 50],
      [100, 0],
    ]);
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
