import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { compileSessionPlan, readCatalogueDirectory, type SessionPlan } from '#concord/protocol';
import { apcBoardingsByZone } from './apc-boardings-by-zone.connector.js';
import { apcBoardingsByRouteHour } from './apc-boardings.connector.js';
import { type Connector, clipCells, gridIndex } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { countField, readCsv } from './csv-rows.js';
import { readStopZones } from './stop-zone-crosswalk.js';

/**
 * The two board_alight connectors read the file as bytes. They must count, skip and refuse
 * exactly the rows the text reader (`readCsv`, fields trimmed by `String#trim`) did: the
 * references below are those connectors as they were, and every file here is read by both.
 */

const dir = mkdtempSync(join(tmpdir(), 'concord-board-alight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const catalogue = readCatalogueDirectory('protocols');
const ROUTES = ['A', 'B', 'C'];
const ZONES = ['Z1', 'Z2', 'Z3'];
const HEADER =
  'trip_id,stop_id,stop_sequence,record_use,boardings,service_date,service_arrival_time';

function planOf(protocol: string, axis: string, values: string[]): SessionPlan {
  return compileSessionPlan(catalogue.find(protocol)!.analysis, {
    sessionId: `board-alight-${protocol}`,
    parameters: { serviceDate: '2026-03-10' },
    axisValues: { [axis]: values },
    budget: '1/2',
    parties: { transit: 1, payments: 2, planning: 3 },
  });
}

const byRouteHour = planOf('revenue-per-boarding', 'route', ROUTES);
const byZone = planOf('ridership-per-capita', 'zone', ZONES);

function write(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const trips = write(
  'trips.txt',
  'route_id,trip_id\nA,T1\nB,T2\nC, T3\nB,T3\nZ,T4\n"A","T,5"\nC,T6\nA,T6\n',
);
const stopZones = write('stop_zone.csv', 'stop_id,GEOID\nS1,Z1\nS2,Z2\nS3,Z3\nS4,Z9\n');

/** What the route-hour connector computed with the text reader. */
const referenceRouteHour: Connector = async ({ plan, input, files }) => {
  const routeOfTrip = new Map<string, string>();
  for await (const row of readCsv(files.trips, ['trip_id', 'route_id']))
    routeOfTrip.set(row.get('trip_id'), row.get('route_id'));
  const date = '20260310';
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  const file = basename(files.boardAlight);
  let rowsRead = 0;
  let rowsUsed = 0;
  const required = ['trip_id', 'record_use', 'boardings', 'service_date', 'service_arrival_time'];
  for await (const row of readCsv(files.boardAlight, required)) {
    rowsRead++;
    if (row.get('record_use').trim() !== '0' || row.get('service_date').trim() !== date) continue;
    const boardings = countField(row, file, 'boardings');
    const m = /^(\d{1,2}):([0-5]\d):([0-5]\d)$/.exec(row.get('service_arrival_time').trim());
    if (!m)
      throw new ConnectorError(file, row.line, 'service_arrival_time', 'expected a time HH:MM:SS');
    const route = routeOfTrip.get(row.get('trip_id'));
    const i = route === undefined ? -1 : cell([route, String(Number(m[1]) % 24)]);
    if (i < 0) continue;
    values[i] += boardings;
    rowsUsed++;
  }
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};

/** What the zone connector computed with the text reader. */
const referenceZone: Connector = async ({ plan, input, files }) => {
  const zoneOfStop = await readStopZones(files.stopZones);
  const file = basename(files.boardAlight);
  const perStop = new Map<string, number>();
  const rowsOfStop = new Map<string, number>();
  let rowsRead = 0;
  const required = ['stop_id', 'record_use', 'boardings', 'service_date'];
  for await (const row of readCsv(files.boardAlight, required)) {
    rowsRead++;
    if (row.get('record_use').trim() !== '0' || row.get('service_date').trim() !== '20260310')
      continue;
    const boardings = countField(row, file, 'boardings');
    const stop = row.get('stop_id').trim();
    if (stop.length === 0) throw new ConnectorError(file, row.line, 'stop_id', 'empty stop_id');
    perStop.set(stop, (perStop.get(stop) ?? 0) + boardings);
    rowsOfStop.set(stop, (rowsOfStop.get(stop) ?? 0) + 1);
  }
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  let rowsUsed = 0;
  let cellsClipped = 0;
  for (const [stop, count] of perStop) {
    const zone = zoneOfStop.get(stop);
    const i = zone === undefined ? -1 : cell([zone]);
    if (i < 0) continue;
    const clipped = Math.min(Math.max(count, input.cell.min), input.cell.max);
    if (clipped !== count) cellsClipped++;
    values[i] += clipped;
    rowsUsed += rowsOfStop.get(stop) ?? 0;
  }
  cellsClipped += clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};

const CASES = [
  {
    name: 'route-hour',
    plan: byRouteHour,
    ours: apcBoardingsByRouteHour,
    theirs: referenceRouteHour,
  },
  { name: 'zone', plan: byZone, ours: apcBoardingsByZone, theirs: referenceZone },
];

/** The connector's values and report, or its located error's message. */
async function outcome(connector: Connector, plan: SessionPlan, path: string): Promise<unknown> {
  try {
    const r = await connector({
      plan,
      input: plan.inputs[0],
      files: { trips, stopZones, boardAlight: path },
    });
    return { values: [...r.values], report: r.report };
  } catch (e) {
    if (e instanceof ConnectorError) return e.message;
    throw e;
  }
}

/** Fields as a careless export writes them: padded, quoted, with Unicode spaces. */
const SPACES = ['', '', '', ' ', '\t', '\u00a0', '\u3000', '\u2028', '\ufeff'];
const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

function randomFile(seed: string, rows: number): string {
  const random = seededRandom(seed);
  const b = new Uint8Array(4);
  const rng = (): number => {
    random.fill(b);
    return new DataView(b.buffer).getUint32(0) / 2 ** 32;
  };
  const pad = (s: string): string => pick(rng, SPACES) + s + pick(rng, SPACES);
  const quote = (s: string): string =>
    s.includes(',') || rng() < 0.2 ? `"${s.replaceAll('"', '""')}"` : s;
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const trip = pick(rng, ['T1', 'T2', 'T3', ' T3', 'T4', 'T,5', 'T6', 'T9', 'Té']);
    const stop = pad(pick(rng, ['S1', 'S2', 'S3', 'S4', 'S5', 'S1']));
    const use = pad(pick(rng, ['0', '0', '0', '1', '00', '']));
    const boardings = pad(pick(rng, ['0', '3', '17', '250', '4000', '12']));
    const date = pad(pick(rng, ['20260310', '20260310', '20260311', '2026-03-10']));
    const h = pick(rng, ['0', '7', '08', '23', '24', '25', '26']);
    const time = pad(`${h}:${pick(rng, ['00', '15', '59'])}:${pick(rng, ['00', '30', '45'])}`);
    const fields = [trip, stop, String(i + 1), use, boardings, date, time].map(quote);
    lines.push(fields.join(','));
  }
  return lines.join(pick(rng, ['\n', '\r\n'])) + '\n';
}

describe('board_alight read as bytes', () => {
  it.each(CASES)(
    '$name: the same values and report as the text reader on padded, quoted files',
    async (c) => {
      for (let k = 0; k < 12; k++) {
        const path = write(`random-${c.name}-${k}.txt`, randomFile(`board-alight-${k}`, 400));
        const ours = await outcome(c.ours, c.plan, path);
        expect(typeof ours, String(ours)).toBe('object');
        expect(ours).toEqual(await outcome(c.theirs, c.plan, path));
      }
    },
  );

  it('counts what the hand-worked file says', async () => {
    const path = write(
      'hand.txt',
      [
        HEADER,
        'T1,S1,1,0,5,20260310,07:10:00', // A, hour 7
        'T1,S2,2, 0 ,2,20260310,7:59:59', // A, hour 7 (padded record_use, one-digit hour)
        'T2,S1,1,1,9,20260310,08:00:00', // not a counted row
        '" T3",S3,1,0,4,20260310,25:00:00', // trip " T3" (route C), not "T3": C, hour 1
        'T3,S3,2,0,6,\u00a020260310\u00a0,25:30:00', // B (T3's last route), hour 1
        'T9,S1,1,0,8,20260310,09:00:00', // unknown trip
        'T6,S4,1,0,1,20260311,09:00:00', // another day
        'T6,S4,2,0,3,20260310,23:00:00', // A (T6's last route), hour 23
      ].join('\n'),
    );
    const r = await apcBoardingsByRouteHour({
      plan: byRouteHour,
      input: byRouteHour.inputs[0],
      files: { trips, boardAlight: path },
    });
    const cellOf = gridIndex(byRouteHour, byRouteHour.inputs[0].axes);
    const nonZero = [...r.values.entries()].filter(([, v]) => v !== 0);
    expect(nonZero).toEqual(
      [
        [cellOf(['A', '7']), 7],
        [cellOf(['B', '1']), 6],
        [cellOf(['C', '1']), 4],
        [cellOf(['A', '23']), 3],
      ].sort((a, b) => a[0] - b[0]),
    );
    expect(r.report).toEqual({ rowsRead: 8, rowsUsed: 5, rowsDropped: 3, cellsClipped: 0 });
  });

  it.each([
    ['T1,S1,1,0,-3,20260310,07:00:00', 'boardings', 'expected a non-negative integer'],
    ['T1,S1,1,0,1e3,20260310,07:00:00', 'boardings', 'expected a non-negative integer'],
    [
      'T1,S1,1,0,1234567890123456,20260310,07:00:00',
      'boardings',
      'expected a non-negative integer',
    ],
    ['T1,S1,1,0,4,20260310,7:60:00', 'service_arrival_time', 'expected a time HH:MM:SS'],
    ['T1,S1,1,0,4,20260310,123:00:00', 'service_arrival_time', 'expected a time HH:MM:SS'],
    ['T1,S1,1,0,4,20260310,07:00', 'service_arrival_time', 'expected a time HH:MM:SS'],
  ])('refuses %s with its line and column', async (row, column, words) => {
    const path = write('bad.txt', `${HEADER}\nT1,S1,1,0,2,20260310,07:00:00\n${row}\n`);
    const e = await outcome(apcBoardingsByRouteHour, byRouteHour, path);
    expect(e).toBe(`bad.txt:3 column ${column}: ${words}`);
    expect(await outcome(referenceRouteHour, byRouteHour, path)).toBe(e);
  });

  it.each(CASES)(
    '$name: agrees on hostile files, the same answer or the same located error',
    async (c) => {
      const valid = Buffer.from(randomFile('board-alight-hostile', 30));
      const random = seededRandom(`board-alight-hostile-${c.name}`);
      const b = new Uint8Array(3);
      const alphabet = Buffer.from('",\r\n a09:-');
      let errors = 0;
      for (let round = 0; round < 200; round++) {
        let text = valid;
        for (let k = 0; k < 1 + (round % 3); k++) {
          random.fill(b);
          const at = ((b[0] << 8) | b[1]) % text.length;
          const byte = Buffer.of(alphabet[b[2] % alphabet.length]);
          // Replace a byte of an ASCII character, or insert one: valid UTF-8 always.
          text =
            b[2] % 2 === 0 && text[at] < 0x80
              ? Buffer.concat([text.subarray(0, at), byte, text.subarray(at + 1)])
              : Buffer.concat([text.subarray(0, at), byte, text.subarray(at)]);
        }
        const path = write(`hostile-${c.name}.txt`, text);
        const ours = await outcome(c.ours, c.plan, path);
        const theirs = await outcome(c.theirs, c.plan, path);
        const file = JSON.stringify(text.toString('utf8'));
        if (typeof theirs !== 'string' || typeof ours !== 'string') {
          expect(ours, file).toEqual(theirs);
          continue;
        }
        errors++;
        // The text reader parses a 64 KB chunk whole before it reads its rows, so a malformed
        // record can hide an earlier row's error; the byte reader reports the first in file order.
        const lineOf = (m: string): number =>
          Number(/^hostile-[a-z-]+\.txt:(\d+)/.exec(m)?.[1] ?? 0);
        expect(lineOf(ours), file).toBeLessThanOrEqual(lineOf(theirs));
        if (lineOf(ours) === lineOf(theirs)) expect(ours, file).toBe(theirs);
        else expect(theirs, file).toMatch(/malformed CSV/);
      }
      // Both kinds of outcome were drawn.
      expect(errors).toBeGreaterThan(20);
      expect(errors).toBeLessThan(180);
    },
  );
});
