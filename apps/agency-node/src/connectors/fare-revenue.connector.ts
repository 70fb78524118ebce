import { basename } from 'node:path';
import { encodeFixed, FieldError } from '#concord/field';
import { type Connector, clipCells, gridIndex, gtfsDate } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { requireContribution, requireFiles } from './connector-files.js';
import { readCsv } from './csv-rows.js';

interface Tap {
  readonly at: string;
  readonly id: string;
  readonly route: string;
  readonly hour: number;
  readonly cents: number;
}

/**
 * Fare payment processor: fare revenue in cents by route and hour, from TIDES-style
 * `fare_transactions.csv` (tap-on and tap-off rows of the service date).
 *
 * Contribution bounding per rider-day (the privacy unit): each token's taps are ordered by time,
 * only the first `rows` count, each amount is clipped to [0, total] and the running total is
 * capped at `total` cents. Amounts are parsed exactly (cents, never floats).
 */
export const fareRevenueByRouteHour: Connector = async ({ plan, input, files }) => {
  const { fareTransactions: path } = requireFiles('fare-revenue-by-route-hour', files, [
    'fareTransactions',
  ]);
  const bound = requireContribution(input);
  const file = basename(path);
  const date = gtfsDate(plan.parameters.serviceDate);
  const byToken = new Map<string, Tap[]>();
  let rowsRead = 0;
  const required = [
    'transaction_id',
    'service_date',
    'event_timestamp',
    'token_id',
    'fare_action',
    'route_id',
    'amount',
  ];
  for await (const row of readCsv(path, required)) {
    rowsRead++;
    const action = row.get('fare_action');
    if (row.get('service_date').trim() !== date || (action !== 'tap-on' && action !== 'tap-off'))
      continue;
    const at = row.get('event_timestamp').trim();
    const time = /^\d{4}-\d{2}-\d{2}T(\d{2}):\d{2}:\d{2}/.exec(at);
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
    const token = row.get('token_id');
    if (token.length === 0) throw new ConnectorError(file, row.line, 'token_id', 'empty token');
    const taps = byToken.get(token) ?? [];
    taps.push({
      at,
      id: row.get('transaction_id'),
      route: row.get('route_id'),
      hour: Number(time[1]),
      cents: clampCents(cents, bound.total),
    });
    byToken.set(token, taps);
  }

  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  let rowsUsed = 0;
  const maxRows = bound.rows ?? Number.MAX_SAFE_INTEGER;
  for (const taps of byToken.values()) {
    taps.sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    let remaining = bound.total;
    for (const tap of taps.slice(0, maxRows)) {
      // Bounding comes first: a tap off the grid (route "0", unknown) still counts towards
      // the rider-day's row and cent caps, then is dropped.
      const cents = Math.min(tap.cents, remaining);
      remaining -= cents;
      const i = cell([tap.route, String(tap.hour)]);
      if (i < 0) continue;
      values[i] += cents;
      rowsUsed++;
    }
  }
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};

function clampCents(cents: bigint, max: number): number {
  if (cents < 0n) return 0;
  return cents > BigInt(max) ? max : Number(cents);
}
