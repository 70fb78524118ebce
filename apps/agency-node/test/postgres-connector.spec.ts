import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '#concord/persistence';
import {
  compileSessionPlan,
  planAxisValues,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import { type City, generateCity, writeCity } from '#concord/synth';
import { loadNodeConfig } from '../src/config/node-config.js';
import { ConnectorCoverage } from '../src/connectors/connector-coverage.js';
import { CONNECTORS, TOKEN_CONNECTORS } from '../src/connectors/connectors.js';
import { ConnectorError } from '../src/connectors/connector-error.js';
import { syntheticConnectorData } from '../src/demo/synthetic-consortium.js';

/**
 * The PostgreSQL source against a scratch database (PGlite, or PostgreSQL 15 when DATABASE_URL
 * is set) holding a small synthetic city's tables: the same inputs as the file connectors, read
 * by table or by query through a read-only cursor; bad rows located; writes refused.
 */
const catalogue = readCatalogueDirectory('protocols');
let db: ScratchDatabase;
let dir: string;
let city: City;
let plans: Record<string, SessionPlan>;

async function sql(run: (client: pg.Client) => Promise<unknown>): Promise<void> {
  // One connection at a time: the embedded database serves a single client.
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

function read(protocol: string, input: string, files: Record<string, string>) {
  const plan = plans[protocol];
  const planInput = plan.inputs.find((i) => i.name === input)!;
  return CONNECTORS[planInput.connector]({ plan, input: planInput, files });
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

const fromFiles = (protocol: string, input: string): Promise<number[]> => {
  const plan = plans[protocol];
  const planInput = plan.inputs.find((i) => i.name === input)!;
  const data = syntheticConnectorData(dir);
  return CONNECTORS[planInput.connector]({
    plan,
    input: planInput,
    files: data[planInput.role][planInput.connector],
  }).then((r) => Array.from(r.values));
};

beforeAll(async () => {
  db = await createScratchDatabase(process.env.DATABASE_URL);
  dir = mkdtempSync(join(tmpdir(), 'concord-pg-connector-'));
  city = generateCity({ seed: 5, scale: 'small' });
  writeCity(city, dir);
  const sorted = (values: string[]): string[] => [...new Set(values)].sort();
  const axisValues: Record<string, string[]> = {
    zone: sorted(city.planning.zones.map((z) => z.geoid)),
    stop: sorted(city.transit.stops.map((s) => s.stopId)),
    fare_product: sorted(city.transit.fareProducts.map((p) => p.fareProductId)),
    from_route: sorted(city.transit.routes.map((r) => r.routeId)),
    to_route: sorted(city.transit.routes.map((r) => r.routeId)),
  };
  plans = Object.fromEntries(
    ['ridership-per-capita', 'title-vi-fare-equity', 'transfers'].map((id) => {
      const entry = catalogue.find(id)!;
      const axes = entry.analysis.definition.axes.map((a) => a.name);
      return [
        id,
        compileSessionPlan(entry.analysis, {
          sessionId: `pg-${id}`,
          parameters: { serviceDate: '2026-03-10' },
          axisValues: Object.fromEntries(axes.map((a) => [a, axisValues[a]])),
          budget: '1/2',
          parties: { transit: 1, payments: 2, planning: 3 },
        }),
      ];
    }),
  );
  const ba = city.transit.boardAlight;
  await sql(async (c) => {
    await c.query(
      'CREATE TABLE board_alight (trip_id text, stop_id text, record_use int, boardings int, service_date text)',
    );
    await c.query(
      'INSERT INTO board_alight SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[])',
      [
        ba.map((r) => r.tripId),
        ba.map((r) => r.stopId),
        ba.map((r) => r.recordUse),
        ba.map((r) => r.boardings),
        ba.map((r) => r.serviceDate),
      ],
    );
    await c.query('CREATE TABLE stop_zone (stop_id text, geoid text)');
    await c.query('INSERT INTO stop_zone SELECT * FROM unnest($1::text[], $2::text[])', [
      city.planning.stopZones.map((s) => s.stopId),
      city.planning.stopZones.map((s) => s.geoid),
    ]);
    await c.query('CREATE SCHEMA acs');
    await c.query('CREATE TABLE acs.zones (geoid char(11), population integer)');
    await c.query('INSERT INTO acs.zones SELECT * FROM unnest($1::text[], $2::int[])', [
      city.planning.zones.map((z) => z.geoid),
      city.planning.zones.map((z) => z.population),
    ]);
    await c.query('CREATE TABLE stop_equity (stop_id text, low_income boolean, minority boolean)');
    await c.query(
      'INSERT INTO stop_equity SELECT * FROM unnest($1::text[], $2::bool[], $3::bool[])',
      [
        city.planning.stopEquity.map((s) => s.stopId),
        city.planning.stopEquity.map((s) => s.lowIncome === 1),
        city.planning.stopEquity.map((s) => s.minority === 1),
      ],
    );
    await c.query(
      'CREATE TABLE transfers_daily (n int, service_date date, from_route text, to_route text, transfers bigint)',
    );
    // 12,001 rows on the day (more than one fetch), some on another day or an unknown route.
    await c.query(
      `INSERT INTO transfers_daily
       SELECT g, DATE '2026-03-10' + (g % 7 = 0)::int, r.routes[1 + g % 3], r.routes[1 + (g / 3) % 3], 1 + g % 2
       FROM generate_series(1, 14001) g, (SELECT $1::text[] AS routes) r`,
      [[...axisValues.from_route.slice(0, 2), '0']],
    );
    await c.query(
      'CREATE TABLE bad_rows (n int, zone text, value text, amount numeric, flag boolean)',
    );
    // Planning's enrolment list, one token listed twice.
    await c.query('CREATE TABLE enrolled_cards (card text, programme text)');
    await c.query("INSERT INTO enrolled_cards SELECT t, 'reduced-fare' FROM unnest($1::text[]) t", [
      [...city.planning.enrolment.map((e) => e.tokenId), city.planning.enrolment[0].tokenId],
    ]);
    await c.query('CREATE SEQUENCE counter');
  });
}, 60_000);

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the PostgreSQL source', () => {
  it('tells the node which service dates it holds: a dated table by its distinct dates, a query taking $1 as unknown, an undated table as any-date', async () => {
    const coverage = new ConnectorCoverage(
      {
        'transfers-by-route-pair': {
          source: 'postgresql',
          url: db.url,
          table: 'transfers_daily',
          'columns.date': 'service_date',
          'columns.from_route': 'from_route',
          'columns.value': 'transfers',
        },
        'apc-boardings-by-zone': {
          source: 'postgresql',
          url: db.url,
          query: 'SELECT stop_id, boardings FROM board_alight WHERE service_date = $1',
        },
        'population-by-zone': {
          source: 'postgresql',
          url: db.url,
          table: 'acs.zones',
          'columns.zone': 'geoid',
          'columns.value': 'population',
        },
      },
      { now: () => 0, databaseEveryMs: 60_000 },
    );
    expect(await coverage.compute()).toEqual([
      { connector: 'apc-boardings-by-zone', kind: 'unknown' },
      { connector: 'population-by-zone', kind: 'any-date' },
      // transfers_daily holds 2026-03-10 and, every seventh row, 2026-03-11.
      { connector: 'transfers-by-route-pair', kind: 'dated', dates: ['2026-03-10/2026-03-11'] },
    ]);
  });

  it('reads a query (with $1, the service date) exactly as the file connector reads the files', async () => {
    const result = await read('ridership-per-capita', 'boardings', {
      source: 'postgresql',
      url: db.url,
      query: `SELECT z.geoid, sum(least(s.boardings, 1000000))
              FROM (SELECT stop_id, sum(boardings) AS boardings FROM board_alight
                    WHERE record_use = 0 AND service_date = replace($1, '-', '') GROUP BY stop_id) s
              JOIN stop_zone z USING (stop_id) GROUP BY z.geoid;`,
    });
    const expected = await fromFiles('ridership-per-capita', 'boardings');
    expect(Array.from(result.values)).toEqual(expected);
    expect(expected.some((v) => v > 0)).toBe(true);
  });

  it('reads a table through its column mapping (padded keys, booleans)', async () => {
    const population = await read('ridership-per-capita', 'population', {
      source: 'postgresql',
      url: db.url,
      table: 'acs.zones',
      'columns.zone': 'geoid',
      'columns.value': 'population',
    });
    expect(Array.from(population.values)).toEqual(
      await fromFiles('ridership-per-capita', 'population'),
    );
    process.env.CONCORD_TEST_PLANNING_DB = db.url;
    const lowIncome = await read('title-vi-fare-equity', 'low_income', {
      source: 'postgresql',
      urlEnv: 'CONCORD_TEST_PLANNING_DB',
      table: 'stop_equity',
      'columns.stop': 'stop_id',
      'columns.value': 'low_income',
    });
    expect(Array.from(lowIncome.values)).toEqual(
      await fromFiles('title-vi-fare-equity', 'low_income'),
    );
  });

  it('streams a large table in batches, keeping the requested day and the published routes', async () => {
    const { values, report } = await read('transfers', 'transfers', {
      source: 'postgresql',
      url: db.url,
      table: 'transfers_daily',
      'columns.date': 'service_date',
      'columns.value': 'transfers',
    });
    const names = planAxisValues(plans.transfers.axes[0]);
    const expected = new Array<number>(names.length * names.length).fill(0);
    let onDay = 0;
    const pick = [names[0], names[1], '0'];
    for (let g = 1; g <= 14001; g++) {
      if (g % 7 === 0) continue;
      onDay++;
      const [from, to] = [pick[g % 3], pick[Math.floor(g / 3) % 3]];
      if (from === '0' || to === '0') continue;
      expected[names.indexOf(from) * names.length + names.indexOf(to)] += 1 + (g % 2);
    }
    expect(report.rowsRead).toBe(onDay);
    expect(onDay).toBeGreaterThan(10_000);
    expect(Array.from(values)).toEqual(expected);
  });

  it('reads a dated table and a query over every day of a weekly plan, and one day of a daily one', async () => {
    const week = {
      ...plans.transfers,
      privacyUnit: { ...plans.transfers.privacyUnit, window: '2026-03-10..2026-03-16' },
    };
    const input = week.inputs.find((i) => i.name === 'transfers')!;
    const names = planAxisValues(week.axes[0]);
    const pick = [names[0], names[1], '0'];
    const expected = (days: 'first' | 'both') => {
      const out = new Array<number>(names.length * names.length).fill(0);
      for (let g = 1; g <= 14001; g++) {
        if (days === 'first' && g % 7 === 0) continue;
        const [from, to] = [pick[g % 3], pick[Math.floor(g / 3) % 3]];
        if (from === '0' || to === '0') continue;
        out[names.indexOf(from) * names.length + names.indexOf(to)] += 1 + (g % 2);
      }
      return out;
    };
    const table = {
      source: 'postgresql',
      url: db.url,
      table: 'transfers_daily',
      'columns.date': 'service_date',
      'columns.value': 'transfers',
    };
    const weekly = await CONNECTORS[input.connector]({ plan: week, input, files: table });
    expect(weekly.report.rowsRead).toBe(14001);
    expect(Array.from(weekly.values)).toEqual(expected('both'));
    const query = {
      source: 'postgresql',
      url: db.url,
      query:
        'SELECT from_route, to_route, transfers FROM transfers_daily WHERE service_date BETWEEN $1::date AND $2::date',
    };
    const byQuery = await CONNECTORS[input.connector]({ plan: week, input, files: query });
    expect(Array.from(byQuery.values)).toEqual(expected('both'));
    // The daily plan binds $2 to its one day: the second day's rows stay out.
    const daily = await read('transfers', 'transfers', query);
    expect(Array.from(daily.values)).toEqual(expected('first'));
    expect(expected('first')).not.toEqual(expected('both'));
    const third = await failure('transfers', 'transfers', { ...query, query: 'SELECT $3' });
    expect(third.message).toBe(
      'node configuration: postgresql source: "query" may use only $1 (the first service date) and $2 (the last)',
    );
  });

  it('reads an enrolment list from a table or a query as the file connector reads enrolment.csv', async () => {
    const plan = plans.transfers;
    const enrolment = TOKEN_CONNECTORS['reduced-fare-enrolment'];
    const files = syntheticConnectorData(dir).planning['reduced-fare-enrolment'];
    const fromCsv = await enrolment({ plan, files });
    const fromTable = await enrolment({
      plan,
      files: {
        source: 'postgresql',
        url: db.url,
        table: 'enrolled_cards',
        'columns.token': 'card',
      },
    });
    expect(fromTable.tokens).toEqual(fromCsv.tokens);
    expect(fromTable.report).toEqual({
      rowsRead: fromCsv.tokens.length + 1,
      tokens: fromCsv.tokens.length,
    });
    const fromQuery = await enrolment({
      plan,
      files: {
        source: 'postgresql',
        url: db.url,
        query: "SELECT card FROM enrolled_cards WHERE programme = 'reduced-fare'",
      },
    });
    expect(fromQuery.tokens).toEqual(fromCsv.tokens);
    const refused = async (settings: Record<string, string>): Promise<ConnectorError> => {
      try {
        await enrolment({ plan, files: { source: 'postgresql', url: db.url, ...settings } });
      } catch (e) {
        if (e instanceof ConnectorError) return e;
        throw e;
      }
      throw new Error('expected a ConnectorError');
    };
    expect((await refused({ query: 'SELECT card, programme FROM enrolled_cards' })).message).toBe(
      'postgresql query: the query returns 2 columns; expected 1 (the token)',
    );
    expect(
      (await refused({ query: 'SELECT card FROM enrolled_cards WHERE card = $1' })).message,
    ).toBe('node configuration: postgresql source: a token list "query" takes no parameters');
    expect((await refused({ table: 'enrolled_cards', 'columns.value': 'card' })).message).toBe(
      'node configuration: postgresql source: a token list names only columns.token (got columns.value)',
    );
    const nullToken = await refused({
      query: "SELECT card FROM (VALUES (1, 'T1'), (2, NULL)) AS v(n, card) ORDER BY n",
    });
    expect([nullToken.file, nullToken.line, nullToken.column]).toEqual([
      'postgresql query',
      2,
      'card',
    ]);
  });

  it.each([
    ['a null key', "(1, NULL, '5', 1, true)", 'zone', 1],
    ['a decimal value', "(1, 'Z', '5', 1, true), (2, 'Z', '1.5', 1, true)", 'value', 2],
    [
      'a negative value',
      "(1, 'Z', '5', 1, true), (2, 'Z', '7', 1, true), (3, 'Z', '-2', 1, true)",
      'value',
      3,
    ],
    ['a null value', "(1, 'Z', NULL, 1, true)", 'value', 1],
  ])('locates %s: query, row, column', async (_what, rows, column, row) => {
    await sql(async (c) => {
      await c.query('TRUNCATE bad_rows');
      await c.query(`INSERT INTO bad_rows VALUES ${rows}`);
    });
    const e = await failure('ridership-per-capita', 'population', {
      source: 'postgresql',
      url: db.url,
      query: 'SELECT zone, value FROM bad_rows ORDER BY n',
    });
    expect([e.file, e.line, e.column]).toEqual(['postgresql query', row, column]);
    expect(e.message).not.toMatch(/1\.5|-2/);
  });

  it('names the table in errors, and refuses a result of the wrong shape', async () => {
    await sql((c) =>
      c.query("TRUNCATE bad_rows; INSERT INTO bad_rows VALUES (1, 'Z', '1', 2.5, true)"),
    );
    const e = await failure('ridership-per-capita', 'population', {
      source: 'postgresql',
      url: db.url,
      table: 'bad_rows',
      'columns.value': 'amount',
    });
    expect([e.file, e.line, e.column]).toEqual(['postgresql table bad_rows', 1, 'amount']);
    const shape = await failure('ridership-per-capita', 'population', {
      source: 'postgresql',
      url: db.url,
      query: 'SELECT zone FROM bad_rows',
    });
    expect(shape.message).toContain('the query returns 1 columns; expected 2');
    const missing = await failure('ridership-per-capita', 'population', {
      source: 'postgresql',
      url: db.url,
      table: 'no_such_table',
    });
    expect(missing.message).toMatch(/SQLSTATE 42P01: relation "no_such_table" does not exist/);
  });

  it('never writes: one statement, in a read-only transaction', async () => {
    const count = async (): Promise<number> => {
      let n = -1;
      await sql(async (c) => {
        n = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM acs.zones')).rows[0].n);
      });
      return n;
    };
    const before = await count();
    const base = { source: 'postgresql', url: db.url };
    const second = await failure('ridership-per-capita', 'population', {
      ...base,
      query: 'SELECT geoid, population FROM acs.zones; DELETE FROM acs.zones',
    });
    expect(second.message).toContain('"query" must be one statement');
    const cte = await failure('ridership-per-capita', 'population', {
      ...base,
      query: 'WITH gone AS (DELETE FROM acs.zones RETURNING geoid, population) SELECT * FROM gone',
    });
    expect(cte.message).toContain('SQLSTATE 0A000');
    const sequence = await failure('ridership-per-capita', 'population', {
      ...base,
      query: "SELECT geoid, nextval('counter') FROM acs.zones",
    });
    expect(sequence.message).toContain('SQLSTATE 25006');
    expect(await count()).toBe(before);
  });

  it('refuses bad settings and unreachable databases without revealing the URL', async () => {
    const table = { source: 'postgresql', table: 'acs.zones' };
    const messages = await Promise.all(
      [
        { ...table },
        { ...table, url: db.url, query: 'SELECT 1, 2' },
        { ...table, url: db.url, colums: 'x' },
        { ...table, url: db.url, 'columns.route': 'x' },
        { ...table, url: db.url, table: 'acs.zones; DROP TABLE acs.zones' },
        { ...table, urlEnv: 'CONCORD_TEST_UNSET_VARIABLE' },
      ].map(async (files) => (await failure('ridership-per-capita', 'population', files)).message),
    );
    expect(messages).toEqual([
      'node configuration: postgresql source: name exactly one of "url" and "urlEnv"',
      'node configuration: postgresql source: name exactly one of "table" and "query"',
      'node configuration: postgresql source: unknown setting(s) colums',
      'node configuration: postgresql source: columns.route names no axis of this input',
      'node configuration: postgresql source: "table" must be name or schema.name',
      'node configuration: postgresql source: environment variable CONCORD_TEST_UNSET_VARIABLE does not hold a postgresql:// URL',
    ]);
    const down = await failure('ridership-per-capita', 'population', {
      ...table,
      url: 'postgresql://reader:s3cret-password@127.0.0.1:1/transit',
    });
    expect(down.message).toMatch(/^postgresql table acs\.zones: cannot read from the database/);
    expect(down.message).not.toContain('s3cret');
    expect(down.message).not.toContain('127.0.0.1');
  });

  it('keeps a database source’s settings as they are in the node configuration', () => {
    const configDir = join(dir, 'node');
    mkdirSync(configDir);
    const file = join(configDir, 'planning.node.json');
    writeFileSync(
      file,
      JSON.stringify({
        agencyId: 'city-planning',
        identityKeyFile: 'planning.key.json',
        consortiumFile: 'consortium.json',
        coordinatorUrl: 'http://127.0.0.1:3000',
        protocolsDir: 'protocols',
        approvedProtocols: [],
        data: {
          'population-by-zone': {
            source: 'postgresql',
            urlEnv: 'PLANNING_DATABASE_URL',
            table: 'acs.zones',
            'columns.zone': 'geoid',
          },
          'stop-equity-coverage': { stopEquity: 'data/stop_equity.csv' },
        },
        atRest: { plaintext: 'demo-only' },
      }),
    );
    const config = loadNodeConfig(file);
    expect(config.data['population-by-zone']).toEqual({
      source: 'postgresql',
      urlEnv: 'PLANNING_DATABASE_URL',
      table: 'acs.zones',
      'columns.zone': 'geoid',
    });
    expect(config.data['stop-equity-coverage'].stopEquity).toBe(
      join(configDir, 'data/stop_equity.csv'),
    );
  });
});
