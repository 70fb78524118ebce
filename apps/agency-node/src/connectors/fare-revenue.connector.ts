import { type Connector, clipCells, gridIndex } from './connector.js';
import { cappedSpend, readCardDays } from './card-days.js';
import { requireContribution, requireFiles } from './connector-files.js';

/**
 * Fare payment processor: fare revenue in cents by route and hour, from TIDES-style
 * `fare_transactions.csv` (tap-on and tap-off rows of the service date).
 *
 * Contribution bounding per rider-day (the privacy unit): each token's taps are ordered by time,
 * only the first `rows` count, each amount is clipped to [0, total] and the running total is
 * capped at `total` cents. Amounts are parsed exactly (cents, never floats).
 */
export const fareRevenueByRouteHour: Connector = async ({ plan, input, files }) => {
  const { fareTransactions } = requireFiles('fare-revenue-by-route-hour', files, [
    'fareTransactions',
  ]);
  const bound = requireContribution(input);
  const { byToken, rowsRead } = await readCardDays(fareTransactions, plan.parameters.serviceDate);
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  let rowsUsed = 0;
  for (const rows of byToken.values()) {
    const kept = rows.slice(0, bound.rows ?? Number.MAX_SAFE_INTEGER);
    // Bounding comes first: a tap off the grid (route "0", unknown) still counts towards the
    // rider-day's row and cent caps, then is dropped.
    const spend = cappedSpend(kept, bound.total);
    kept.forEach((tap, k) => {
      const i = cell([tap.route, String(tap.hour)]);
      if (i < 0) return;
      values[i] += spend[k];
      rowsUsed++;
    });
  }
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};
