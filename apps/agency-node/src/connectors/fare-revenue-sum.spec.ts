import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { cappedSpend, readCardDays } from './card-days.js';
import { ConnectorError } from './connector-error.js';
import { sumFareRevenue } from './fare-revenue-sum.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-fare-sum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'transaction_id,service_date,event_timestamp,token_id,fare_action,route_id,amount';
const ROUTES = ['R1', 'R2', 'R3'];
const BOUND = { total: 500, rows: 4 };

/** Route R1–R3 by hour 0–23; anything else is off the grid. */
function cellOf(route: string, hour: number): number {
  const r = ROUTES.indexOf(route);
  return r < 0 || hour > 23 ? -1 : r * 24 + hour;
}

function file(name: string, rows: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, [HEADER, ...rows].join('\n') + '\n');
  return path;
}

/** The reference: `readCardDays` per day, bounded per token-day as the connector did before. */
async function reference(path: string, dates: readonly string[]): Promise<Float64Array> {
  const values = new Float64Array(ROUTES.length * 24);
  for (const date of dates) {
    const { byToken } = await readCardDays(path, date);
    for (const rows of byToken.values()) {
      const kept = rows.slice(0, BOUND.rows);
      const spend = cappedSpend(kept, BOUND.total);
      kept.forEach((row, k) => {
        const i = cellOf(row.route, row.hour);
        if (i >= 0) values[i] += spend[k];
      });
    }
  }
  return values;
}

/** Seeded rows over two days: few tokens, many ties, odd amounts, spaces, quotes, off-grid routes. */
function randomRows(seed: string, count: number): string[] {
  const rng = seededRandom(seed);
  const b = new Uint8Array(8);
  const amounts = ['2.90', '2.9', '.5', '3.', '-1.00', '1.500', '+2', '0', '250.00', '9999'];
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    rng.fill(b);
    const day = i < count / 2 ? '20260310' : '20260311';
    const at = `2026-03-${day.slice(6)}T0${b[0] % 3}:1${b[1] % 2}:0${b[2] % 3}`;
    const token = ['t1', ' t2', 't3 ', '"t4"', 'ü5'][b[3] % 5];
    const action = ['tap-on', 'tap-off', 'tap-on', 'balance-load'][b[4] % 4];
    const route = [...ROUTES, 'R9', '"R2"'][b[5] % 5];
    // Some ids sit in records with doubled quotes (unescaped into a copy: no file position).
    const id = b[6] % 7 === 0 ? `"tx-""${b[6] % 50}"""` : `tx-${(b[6] * 7919) % 1000}`;
    rows.push([id, day, at, token, action, route, amounts[b[7] % amounts.length]].join(','));
  }
  return rows;
}

describe('sumFareRevenue', () => {
  it('sums each token-day exactly as readCardDays and the per-day cap do', async () => {
    const path = file('random.csv', randomRows('fare-sum', 4000));
    for (const dates of [['2026-03-10'], ['2026-03-11'], ['2026-03-10', '2026-03-11']]) {
      const got = await sumFareRevenue(path, dates, BOUND, cellOf, ROUTES.length * 24);
      const expected = await reference(path, dates);
      expect([...got.values]).toEqual([...expected]);
      // The bound bit: some token-days had more rows or cents than it allows.
      expect(got.rowsUsed).toBeLessThan(got.rowsRead / 2);
    }
  });

  it('orders a token-day by time, then by transaction id at the same second', async () => {
    // Six rows at one second, ids out of order: the four smallest ids are kept.
    const ids = ['tx-f', 'tx-b', 'tx-e', 'tx-a', 'tx-d', 'tx-c'];
    const rows = ids.map((id, k) =>
      [id, '20260310', '2026-03-10T08:00:00', 'tok', 'tap-on', k < 3 ? 'R1' : 'R2', '1.00'].join(
        ',',
      ),
    );
    const got = await sumFareRevenue(file('ties.csv', rows), ['2026-03-10'], BOUND, cellOf, 72);
    // Kept: tx-a (R2), tx-b (R1), tx-c (R2), tx-d (R2).
    expect([got.values[8], got.values[24 + 8]]).toEqual([100, 300]);
  });

  it('orders a token used by many rows (the general sort) as the reference does', async () => {
    const rows = Array.from({ length: 200 }, (_, k) =>
      [
        `tx-${(k * 37) % 200}`,
        '20260310',
        `2026-03-10T0${k % 7}:00:00`,
        'busy',
        'tap-on',
        ROUTES[k % 3],
        `${k}.00`,
      ].join(','),
    );
    const path = file('busy.csv', rows);
    const got = await sumFareRevenue(path, ['2026-03-10'], BOUND, cellOf, 72);
    expect([...got.values]).toEqual([...(await reference(path, ['2026-03-10']))]);
  });

  it('holds at most two days: a date that comes back later is refused with its line', async () => {
    const row = (day: string, id: string): string =>
      [
        id,
        day,
        `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}T08:00:00`,
        'tok',
        'tap-on',
        'R1',
        '1.00',
      ].join(',');
    const dates = ['2026-03-10', '2026-03-11', '2026-03-12'];
    // One date's overlap (a late row of the 10th among the 11th's) is fine.
    const overlap = file('overlap.csv', [
      row('20260310', 'a'),
      row('20260311', 'b'),
      row('20260310', 'c'),
      row('20260312', 'd'),
    ]);
    const ok = await sumFareRevenue(overlap, dates, BOUND, cellOf, 72);
    expect(ok.values[8]).toBe(400);
    const late = file('late.csv', [
      row('20260310', 'a'),
      row('20260311', 'b'),
      row('20260312', 'c'),
      row('20260310', 'd'),
    ]);
    const error = await sumFareRevenue(late, dates, BOUND, cellOf, 72).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(
      /^late\.csv:5 column service_date: rows of 2026-03-10 after those of 2026-03-12/,
    );
    // A date first seen two dates after a later one is out of order too, seen before or not.
    const backwards = file('backwards.csv', [row('20260312', 'a'), row('20260310', 'b')]);
    await expect(sumFareRevenue(backwards, dates, BOUND, cellOf, 72)).rejects.toThrow(
      /^backwards\.csv:3 column service_date: rows of 2026-03-10 after those of 2026-03-12/,
    );
  });

  it('refuses a bad timestamp, amount or token with the reference reader’s message', async () => {
    const base = ['tx-1', '20260310', '2026-03-10T08:00:00', 'tok', 'tap-on', 'R1', '1.00'];
    const cases: [number, string][] = [
      [2, '2026-03-10 08:00:00'],
      [6, '1.005'],
      [6, 'abc'],
      [3, '  '],
    ];
    for (const [column, value] of cases) {
      const fields = [...base];
      fields[column] = value;
      const path = file('bad.csv', [fields.join(',')]);
      const got = await sumFareRevenue(path, ['2026-03-10'], BOUND, cellOf, 72).catch(
        (e: unknown) => e,
      );
      const expected = await readCardDays(path, '2026-03-10').catch((e: unknown) => e);
      expect(got).toBeInstanceOf(ConnectorError);
      expect((got as Error).message).toBe((expected as Error).message);
    }
  });

  it('agrees with the reference reader on hostile files: the same sums or the same located error', async () => {
    const valid = Buffer.from(
      [HEADER, ...randomRows('hostile-base', 30).filter((r) => !r.includes('ü'))].join('\n'),
    );
    const rng = seededRandom('fare-sum-hostile');
    const b = new Uint8Array(3);
    const alphabet = Buffer.from('",\r\n a09-.T:+');
    const outcome = async (read: () => Promise<Float64Array>): Promise<unknown> => {
      try {
        return [...(await read())];
      } catch (e) {
        if (e instanceof ConnectorError) return e.message;
        throw e;
      }
    };
    let errors = 0;
    for (let round = 0; round < 300; round++) {
      let text = valid;
      for (let k = 0; k < 1 + (round % 4); k++) {
        rng.fill(b);
        const at = ((b[0] << 8) | b[1]) % text.length;
        const edit = b[2] % 3;
        const byte = Buffer.of(alphabet[b[2] % alphabet.length]);
        // Replace, insert (a byte, or a whole two-byte character), or delete: valid UTF-8 always.
        text =
          edit === 0
            ? Buffer.concat([text.subarray(0, at), byte, text.subarray(at + 1)])
            : edit === 1
              ? Buffer.concat([
                  text.subarray(0, at),
                  b[2] % 5 === 0 ? Buffer.from('é') : byte,
                  text.subarray(at),
                ])
              : Buffer.concat([text.subarray(0, at), text.subarray(at + 1)]);
      }
      const path = join(dir, 'hostile.csv');
      writeFileSync(path, text);
      const ours = await outcome(
        async () => (await sumFareRevenue(path, ['2026-03-10'], BOUND, cellOf, 72)).values,
      );
      const theirs = await outcome(() => reference(path, ['2026-03-10']));
      const file = JSON.stringify(text.toString('utf8'));
      if (typeof theirs !== 'string' || typeof ours !== 'string') {
        expect(ours, file).toEqual(theirs);
        continue;
      }
      errors++;
      // The reference parses a 64 KB chunk whole before it reads its rows, so a malformed record
      // can hide an earlier row's error; the byte reader reports the first in file order. Same
      // line, same words.
      const lineOf = (m: string): number => Number(/^hostile\.csv:(\d+)/.exec(m)?.[1] ?? 0);
      expect(lineOf(ours), file).toBeLessThanOrEqual(lineOf(theirs));
      if (lineOf(ours) === lineOf(theirs)) expect(ours, file).toBe(theirs);
      else expect(theirs, file).toMatch(/malformed CSV/);
    }
    // Both kinds of outcome were drawn.
    expect(errors).toBeGreaterThan(30);
    expect(errors).toBeLessThan(270);
  });
});
