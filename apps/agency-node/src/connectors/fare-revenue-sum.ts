import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { encodeFixed, FieldError } from '#concord/field';
import { PAID_ROW_COLUMNS } from './card-days.js';
import { gtfsDate } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { isBytes, serviceDay, serviceDayIndex, trimmed } from './csv-byte-fields.js';
import type { ByteRecord } from './csv-byte-records.js';
import { type CsvColumns, fieldText, scanCsv } from './csv-byte-rows.js';
import { FareDayRows } from './fare-day-rows.js';
import { TokenTable } from './token-table.js';

/** What one rider may contribute on one service day. */
export interface TokenDayBound {
  /** Cents, over the token-day's kept rows (each amount is also clipped to it). */
  readonly total: number;
  /** Rows kept per token-day, the first in (event time, transaction id) order. */
  readonly rows: number;
}

export interface FareRevenueSum {
  readonly values: Float64Array;
  readonly rowsRead: number;
  readonly rowsUsed: number;
}

/**
 * How many service dates past a day the file may still hold its rows: one, so an export in event
 * time order (a service day's late tap-offs written after the next day's first taps) reads as
 * well as one grouped by date, while at most two days are held in memory.
 */
export const DAY_OVERLAP = 1;

const REQUIRED = PAID_ROW_COLUMNS;

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const TAP_ON = Buffer.from('tap-on');
const TAP_OFF = Buffer.from('tap-off');

/**
 * Fare revenue in cents per grid cell over `serviceDates` (ISO, consecutive, in order) from
 * TIDES-style `fare_transactions.csv`, bounded per token-day exactly as the fare-revenue
 * connector bounds a day read by `readCardDays`: a token-day's paid rows (tap-on and tap-off) in
 * (event_timestamp, transaction_id) order, the first `bound.rows` kept, each amount clipped to
 * [0, bound.total] and then to what is left of it; a kept row off the grid uses its share, then
 * is dropped.
 *
 * Made for a month of a large city (20 GB, 130 M rows): the file is scanned as bytes, a day's
 * rows are held as columns (`FareDayRows`) and summed into the cells as soon as the file has
 * moved `DAY_OVERLAP` dates past the day, so memory holds at most two days whatever the window.
 * A date that comes back after that is refused with its line (the answer would otherwise be
 * wrong): over several days the file must keep each date's rows together.
 */
export async function sumFareRevenue(
  path: string,
  serviceDates: readonly string[],
  bound: TokenDayBound,
  cellOf: (route: string, hour: number) => number,
  cells: number,
): Promise<FareRevenueSum> {
  const file = basename(path);
  if (!Number.isSafeInteger(bound.total) || bound.total < 0 || bound.total > 0xffff_ffff)
    throw new RangeError(`a token-day bound of ${bound.total} cents is not a 32-bit count`);
  const { dayOf, dayOfText } = serviceDayIndex(serviceDates.map(gtfsDate));
  const open = new Map<number, FareDayRows>();
  const spare: FareDayRows[] = [];
  const closed = new Set<number>();
  let latest = -1;
  const values = new Float64Array(cells);
  let rowsRead = 0;
  let rowsUsed = 0;
  // Ids are read back from the file only to order a token's rows at the same second.
  let fd: number | undefined;
  const readId = (position: number, length: number): string => {
    fd ??= openSync(path, 'r');
    const id = Buffer.alloc(length);
    readSync(fd, id, 0, length, position);
    return id.toString('utf8');
  };
  let col: Record<(typeof REQUIRED)[number], number> | undefined;

  const close = (day: number): void => {
    const rows = open.get(day)!;
    open.delete(day);
    closed.add(day);
    rows.forEachTokenDay((order, from, to) => {
      let left = bound.total;
      const end = Math.min(to, from + bound.rows);
      for (let k = from; k < end; k++) {
        const row = order[k];
        const spend = Math.min(rows.centsOf(row), left);
        left -= spend;
        const cell = rows.cellOf(row);
        if (cell < 0) continue;
        values[cell] += spend;
        rowsUsed++;
      }
    });
    spare.push(rows);
  };

  // Routes by their bytes (no string per row), each with its cells by hour, found on first use.
  const routes = new TokenTable();
  const routeCells: Int32Array[] = [];
  const cellFor = (r: ByteRecord, k: number, hour: number): number => {
    const route = routes.id(r.bytes, r.starts[k], r.ends[k]);
    let byHour = routeCells[route];
    if (byHour === undefined) routeCells[route] = byHour = new Int32Array(100).fill(-2);
    if (byHour[hour] === -2) byHour[hour] = cellOf(fieldText(r, k), hour);
    return byHour[hour];
  };

  const onRow = (r: ByteRecord): void => {
    rowsRead++;
    const c = col!;
    const day = serviceDay(r, c.service_date, dayOf, dayOfText);
    if (day < 0 || !(isBytes(r, c.fare_action, TAP_ON) || isBytes(r, c.fare_action, TAP_OFF)))
      return;
    if (closed.has(day) || day < latest - DAY_OVERLAP)
      throw new ConnectorError(
        file,
        r.line,
        'service_date',
        `rows of ${serviceDates[day]} after those of ${serviceDates[latest]}: over several days the file must keep each date's rows together, in date order (at most ${DAY_OVERLAP} date apart)`,
      );
    let rows = open.get(day);
    if (rows === undefined) {
      if (day > latest) latest = day;
      // Days left behind are summed first, so that the new day reuses their columns: two days'
      // columns exist at most, never three.
      for (const earlier of [...open.keys()]) if (earlier < latest - DAY_OVERLAP) close(earlier);
      open.set(day, (rows = spare.pop() ?? new FareDayRows(readId)));
    }
    const at = eventTime(r, c.event_timestamp);
    if (at < 0)
      throw new ConnectorError(file, r.line, 'event_timestamp', 'expected an ISO-8601 local time');
    const cents = amountCents(r, c.amount);
    if (cents === undefined)
      throw new ConnectorError(
        file,
        r.line,
        'amount',
        'expected a decimal amount with at most 2 decimals',
      );
    const [tokenFrom, tokenTo] = trimmed(r, c.token_id);
    const hour = Math.floor(at / 10_000) % 100;
    const cell = cellFor(r, c.route_id, hour);
    const clipped = Math.min(cents, bound.total);
    const id = c.transaction_id;
    const idLength = r.ends[id] - r.starts[id];
    // Where the id's bytes are in the file; a record unescaped into a copy has no such place.
    const idPosition = r.offset < 0 ? -1 : r.offset + r.starts[id];
    const idText = idPosition < 0 ? fieldText(r, id) : undefined;
    if (tokenTo > tokenFrom && r.bytes[tokenFrom] < 0x80 && r.bytes[tokenTo - 1] < 0x80) {
      rows.add(r.bytes, tokenFrom, tokenTo, at, clipped, cell, idPosition, idLength, idText);
      return;
    }
    // Empty, or ending in a byte of a multi-byte character (Unicode whitespace, say): the token is
    // the text trimmed as JavaScript trims it, as `readCardDays` keys it, in canonical UTF-8.
    const token = Buffer.from(fieldText(r, c.token_id).trim(), 'utf8');
    if (token.length === 0) throw new ConnectorError(file, r.line, 'token_id', 'empty token');
    rows.add(token, 0, token.length, at, clipped, cell, idPosition, idLength, idText);
  };

  try {
    await scanCsv(
      path,
      REQUIRED,
      (columns: CsvColumns) => {
        col = Object.fromEntries(REQUIRED.map((name) => [name, columns.get(name)!])) as typeof col;
      },
      onRow,
    );
    for (const day of [...open.keys()].sort((a, b) => a - b)) close(day);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return { values, rowsRead, rowsUsed };
}

/**
 * `YYYY-MM-DDTHH:MM:SS` (trimmed) read as the number YYYYMMDDHHMMSS, ordered as the text; -1
 * when the field is not of that form.
 */
function eventTime(r: ByteRecord, k: number): number {
  const [from, to] = trimmed(r, k);
  const b = r.bytes;
  if (to - from === 19) {
    let v = 0;
    let ok = true;
    for (let i = 0; i < 19; i++) {
      const c = b[from + i];
      if (i === 4 || i === 7) ok = c === 0x2d;
      else if (i === 10) ok = c === 0x54;
      else if (i === 13 || i === 16) ok = c === 0x3a;
      else if (c >= 0x30 && c <= 0x39) v = v * 10 + (c - 0x30);
      else ok = false;
      if (!ok) break;
    }
    if (ok) return v;
  }
  const m = ISO_TIME.exec(fieldText(r, k).trim());
  return m ? Number(m.slice(1).join('')) : -1;
}

/**
 * The amount in cents, clamped below at 0 (as the connectors use it); undefined when it is not
 * a decimal with at most two non-zero decimals. Plain ASCII amounts of up to 13 integer digits
 * are read from the bytes; anything else goes through `encodeFixed`, the definition.
 */
function amountCents(r: ByteRecord, k: number): number | undefined {
  const [from, to] = trimmed(r, k);
  const b = r.bytes;
  let i = from;
  let negative = false;
  if (i < to && (b[i] === 0x2b || b[i] === 0x2d)) negative = b[i++] === 0x2d;
  let units = 0;
  let intDigits = 0;
  while (i < to && b[i] >= 0x30 && b[i] <= 0x39) {
    units = units * 10 + (b[i++] - 0x30);
    intDigits++;
  }
  let cents = 0;
  let fracDigits = 0;
  let fast = intDigits <= 13;
  if (i < to && b[i] === 0x2e) {
    i++;
    while (i < to && b[i] >= 0x30 && b[i] <= 0x39) {
      const d = b[i++] - 0x30;
      if (fracDigits < 2) cents = cents * 10 + d;
      else if (d !== 0) fast = false;
      fracDigits++;
    }
  }
  if (fast && i === to && intDigits + fracDigits > 0) {
    const value = units * 100 + cents * (fracDigits === 1 ? 10 : 1);
    return negative ? 0 : value;
  }
  try {
    const exact = encodeFixed(fieldText(r, k), 2);
    return exact < 0n ? 0 : Number(exact);
  } catch (e) {
    if (e instanceof FieldError) return undefined;
    throw e;
  }
}
