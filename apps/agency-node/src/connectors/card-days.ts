import { basename } from 'node:path';
import { encodeFixed, FieldError } from '#concord/field';
import { gtfsDate } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { readCsv } from './csv-rows.js';
import type { ReadScope } from './read-scope.js';

/** One fare row that moves money (a tap-on pays the fare, a rail tap-off the zone supplement). */
export interface PaidRow {
  readonly at: string;
  readonly id: string;
  readonly tapOn: boolean;
  readonly route: string;
  readonly product: string;
  /** The boarding stop of a tap-on, the exit station of a tap-off. */
  readonly stop: string;
  readonly hour: number;
  /** The amount in cents, exactly, clamped below at 0. */
  readonly cents: bigint;
}

export interface CardDays {
  /** Each card token's paid rows of the date, in (event_timestamp, transaction_id) order. */
  readonly byToken: ReadonlyMap<string, readonly PaidRow[]>;
  readonly rowsRead: number;
}

/** A read of one file's date, with the header's columns (optional ones are checked per caller). */
interface DatedRead extends CardDays {
  readonly columns: ReadonlySet<string>;
}

/**
 * The processor's paid rows of one service date grouped by card token, as the connectors that
 * bound per token-day read them (fare revenue, the join's per-card rows; `fare_transactions.csv`,
 * TIDES-style). Only counts leave a node. Within one `scope` (a session's reading) the same file
 * and date are parsed once for every connector; callers must not modify what they get.
 */
export async function readCardDays(
  path: string,
  serviceDate: string,
  /** Whether `fare_product` / `stop_id` must be columns (only the connectors keyed on them read them). */
  options: { readonly product?: boolean; readonly stop?: boolean } = {},
  scope?: ReadScope,
): Promise<CardDays> {
  const date = gtfsDate(serviceDate);
  const read = await (scope
    ? scope.once(`card-days\0${path}\0${date}`, () => readDate(path, date))
    : readDate(path, date));
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
  return { byToken: read.byToken, rowsRead: read.rowsRead };
}

async function readDate(path: string, date: string): Promise<DatedRead> {
  const file = basename(path);
  const byToken = new Map<string, PaidRow[]>();
  let rowsRead = 0;
  let columns: ReadonlySet<string> = new Set();
  const required = [
    'transaction_id',
    'service_date',
    'event_timestamp',
    'token_id',
    'fare_action',
    'route_id',
    'amount',
  ];
  for await (const row of readCsv(path, required, (c) => (columns = c))) {
    rowsRead++;
    const action = row.get('fare_action');
    if (row.get('service_date').trim() !== date || (action !== 'tap-on' && action !== 'tap-off'))
      continue;
    const at = row.get('event_timestamp').trim();
    const time = /^\d{4}-\d{2}-\d{2}T(\d{2}):\d{2}:\d{2}$/.exec(at);
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
    const rows = byToken.get(token) ?? [];
    rows.push({
      at,
      id: row.get('transaction_id'),
      tapOn: action === 'tap-on',
      route: row.get('route_id'),
      product: row.get('fare_product'),
      stop: row.get('stop_id').trim(),
      hour: Number(time[1]),
      cents: cents < 0n ? 0n : cents,
    });
    byToken.set(token, rows);
  }
  for (const rows of byToken.values())
    rows.sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
  return { byToken, rowsRead, columns };
}

/**
 * Spend per kept row under a token-day cap: each amount clipped to [0, cap], then to what is
 * left of the cap for the token-day (the same bounding as the fare-revenue connector).
 */
export function cappedSpend(rows: readonly PaidRow[], cap: number): number[] {
  let left = cap;
  return rows.map((row) => {
    const amount = row.cents > BigInt(cap) ? cap : Number(row.cents);
    const spend = Math.min(amount, left);
    left -= spend;
    return spend;
  });
}
