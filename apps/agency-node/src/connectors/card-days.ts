import { basename } from 'node:path';
import { encodeFixed, FieldError } from '#concord/field';
import { gtfsDate } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { detached, interner, readCsv } from './csv-rows.js';
import type { ReadScope } from './read-scope.js';

/** The columns of `fare_transactions.csv` every reader of paid rows needs. */
export const PAID_ROW_COLUMNS = [
  'transaction_id',
  'service_date',
  'event_timestamp',
  'token_id',
  'fare_action',
  'route_id',
  'amount',
] as const;

/** One fare row that moves money (a tap-on pays the fare, a rail tap-off the zone supplement). */
export interface PaidRow {
  /**
   * The local event time as one number ordered as its `YYYY-MM-DDTHH:MM:SS` text (the digits
   * read as YYYYMMDDHHMMSS): kept for ordering only, and a number weighs a fraction of the text.
   */
  readonly at: number;
  readonly id: string;
  readonly tapOn: boolean;
  readonly route: string;
  readonly product: string;
  /** The boarding stop of a tap-on, the exit station of a tap-off. */
  readonly stop: string;
  readonly hour: number;
  /**
   * The amount in cents, clamped below at 0: exact up to 2^53, and an amount beyond that (clipped
   * to any bound anyway) still compares above every bound.
   */
  readonly cents: number;
}

export interface CardDays {
  /** Each card token's paid rows of the date, in (event_timestamp, transaction_id) order. */
  readonly byToken: ReadonlyMap<string, readonly PaidRow[]>;
  readonly rowsRead: number;
}

/** The paid rows of several service dates, read in one pass over the file. */
export interface CardDates {
  /** The dates read (ISO `YYYY-MM-DD`), in the order asked. */
  readonly dates: readonly string[];
  /** Per date of `dates` (same index), each card token's paid rows of that date, in order. */
  readonly days: readonly ReadonlyMap<string, readonly PaidRow[]>[];
  readonly rowsRead: number;
}

/** A read of one file's dates, with the header's columns (optional ones are checked per caller). */
interface DatedRead {
  readonly days: readonly ReadonlyMap<string, readonly PaidRow[]>[];
  readonly rowsRead: number;
  readonly columns: ReadonlySet<string>;
}

/**
 * The processor's paid rows of one service date grouped by card token, as the connectors that
 * bound per token-day read them (fare revenue, the join's per-card rows; `fare_transactions.csv`,
 * TIDES-style). Only counts leave a node. Callers must not modify what they get.
 */
export async function readCardDays(
  path: string,
  serviceDate: string,
  /** Whether `fare_product` / `stop_id` must be columns (only the connectors keyed on them read them). */
  options: { readonly product?: boolean; readonly stop?: boolean } = {},
  scope?: ReadScope,
): Promise<CardDays> {
  const { days, rowsRead } = await readCardDates(path, [serviceDate], options, scope);
  return { byToken: days[0], rowsRead };
}

/**
 * The processor's paid rows of a plan's service dates (one day, or the seven of a week window),
 * per date grouped by card token, from one pass over the file. Within one `scope` (a session's
 * reading) the same file and dates are parsed once for every connector, so a join plan's card
 * list and per-card inputs share one parse whatever the number of days.
 */
export async function readCardDates(
  path: string,
  serviceDates: readonly string[],
  options: { readonly product?: boolean; readonly stop?: boolean } = {},
  scope?: ReadScope,
): Promise<CardDates> {
  const dates = serviceDates.map(gtfsDate);
  const read = await (scope
    ? scope.once(`card-days\0${path}\0${dates.join(',')}`, () => readDates(path, dates))
    : readDates(path, dates));
  const missing = [
    ...(options.product ? ['fare_product'] : []),
    ...(options.stop ? ['stop_id'] : []),
  ].filter((c) => !read.columns.has(c));
  if (missing.length > 0)
    throw new ConnectorError(
      basename(path),
      1,
      missing[0],
      `missing column(s) ${missing.join(', ')}`,
    );
  return { dates: serviceDates, days: read.days, rowsRead: read.rowsRead };
}

async function readDates(path: string, dates: readonly string[]): Promise<DatedRead> {
  const file = basename(path);
  const dayOf = new Map(dates.map((d, i) => [d, i]));
  const days = dates.map(() => new Map<string, PaidRow[]>());
  let rowsRead = 0;
  let columns: ReadonlySet<string> = new Set();
  const intern = interner();
  for await (const row of readCsv(path, PAID_ROW_COLUMNS, (c) => (columns = c))) {
    rowsRead++;
    const action = row.get('fare_action');
    const day = dayOf.get(row.get('service_date').trim());
    if (day === undefined || (action !== 'tap-on' && action !== 'tap-off')) continue;
    const byToken = days[day];
    const at = row.get('event_timestamp').trim();
    const time = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(at);
    if (!time)
      throw new ConnectorError(
        file,
        row.line,
        'event_timestamp',
        'expected an ISO-8601 local time',
      );
    let cents: bigint;
    try {
      cents = encodeFixed(row.get('amount'), 2);
    } catch (e) {
      if (e instanceof FieldError)
        throw new ConnectorError(
          file,
          row.line,
          'amount',
          'expected a decimal amount with at most 2 decimals',
        );
      throw e;
    }
    const token = row.get('token_id').trim();
    if (token.length === 0) throw new ConnectorError(file, row.line, 'token_id', 'empty token');
    let rows = byToken.get(token);
    if (rows === undefined) {
      rows = [];
      byToken.set(detached(token), rows);
    }
    rows.push({
      at: Number(time.slice(1).join('')),
      id: detached(row.get('transaction_id')),
      tapOn: action === 'tap-on',
      route: intern(row.get('route_id')),
      product: intern(row.get('fare_product')),
      stop: intern(row.get('stop_id').trim()),
      hour: Number(time[4]),
      cents: cents < 0n ? 0 : Number(cents),
    });
  }
  for (const byToken of days)
    for (const rows of byToken.values())
      rows.sort((a, b) =>
        a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
      );
  return { days, rowsRead, columns };
}

/**
 * Spend per kept row under a token-day cap: each amount clipped to [0, cap], then to what is
 * left of the cap for the token-day (the same bounding as the fare-revenue connector).
 */
export function cappedSpend(rows: readonly PaidRow[], cap: number): number[] {
  return cappedWindowSpend([rows], { dayTotal: cap, total: cap })[0];
}

/** What a unit may contribute over a plan's window: per token-day and per token-window. */
export interface WindowBound {
  readonly dayTotal: number;
  readonly total: number;
}

/**
 * Spend per kept row of a token's days (in date order) under a window bound: each amount
 * clipped to [0, dayTotal], then to what is left of `dayTotal` for its token-day, then to what
 * is left of `total` for the token's window. One day with dayTotal = total is `cappedSpend`.
 */
export function cappedWindowSpend(
  days: readonly (readonly PaidRow[])[],
  bound: WindowBound,
): number[][] {
  let windowLeft = bound.total;
  return days.map((rows) => {
    let dayLeft = bound.dayTotal;
    return rows.map((row) => {
      const amount = Math.min(row.cents, bound.dayTotal);
      const spend = Math.min(amount, dayLeft, windowLeft);
      dayLeft -= spend;
      windowLeft -= spend;
      return spend;
    });
  });
}
