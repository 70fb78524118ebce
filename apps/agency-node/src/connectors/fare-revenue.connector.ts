import { planServiceDates } from '#concord/protocol';
import { type Connector, clipCells, gridIndex } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { requireContribution, requireFiles } from './connector-files.js';
import { sumFareRevenue } from './fare-revenue-sum.js';

/**
 * Fare payment processor: fare revenue in cents by route and hour, from TIDES-style
 * `fare_transactions.csv` (tap-on and tap-off rows of the plan's service dates: one day, or every
 * day of a window).
 *
 * Contribution bounding per rider-day: each token-day's taps are ordered by time, only the first
 * `rows` count (`perDay.rows` over a window), each amount is clipped to [0, total] and the
 * running total is capped at `total` cents (`perDay.total`). Amounts are parsed exactly (cents,
 * never floats). Over a window the days are bounded one by one, so the window's own bound must
 * follow from them (days × the day's bound); a protocol asking for a tighter window bound needs
 * a connector that carries each token across days, which this one refuses to be.
 */
export const fareRevenueByRouteHour: Connector = async ({ plan, input, files }) => {
  const { fareTransactions } = requireFiles('fare-revenue-by-route-hour', files, [
    'fareTransactions',
  ]);
  const planned = planServiceDates(plan);
  const dates = planned.length > 0 ? planned : [plan.parameters.serviceDate];
  const bound = dayBound(input, dates.length);
  const cell = gridIndex(plan, input.axes);
  const { values, rowsRead, rowsUsed } = await sumFareRevenue(
    fareTransactions,
    dates,
    bound,
    (route, hour) => cell([route, String(hour)]),
    input.length,
  );
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};

/** The per-token-day bound, checked to imply the window's bound over `days` days. */
export function dayBound(
  input: Parameters<typeof requireContribution>[0],
  days: number,
): { readonly total: number; readonly rows: number } {
  const c = requireContribution(input);
  const total = c.perDay?.total ?? c.total;
  const rows = c.perDay?.rows ?? c.rows ?? Number.MAX_SAFE_INTEGER;
  if (total > 0xffff_ffff)
    throw new ConnectorError(
      'protocol',
      undefined,
      undefined,
      `input ${input.name}: a token-day bound of more than 2^32 - 1 cents`,
    );
  const implied = days * total <= c.total && (c.rows === undefined || days * rows <= c.rows);
  if (!implied)
    throw new ConnectorError(
      'protocol',
      undefined,
      undefined,
      `input ${input.name}: fare-revenue-by-route-hour bounds each token-day apart, so the window's bound must be at least ${days} times the day's`,
    );
  return { total, rows };
}
