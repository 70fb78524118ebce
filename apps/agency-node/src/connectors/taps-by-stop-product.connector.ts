import { type Connector, clipCells, gridIndex, gtfsDate } from './connector.js';
import { requireContribution, requireFiles } from './connector-files.js';
import { tapOnsByTokenDay } from './fare-taps.js';

/**
 * Fare payment processor: tap-ons by boarding stop and fare product, from TIDES-style
 * `fare_transactions.csv` (the `stop_id` and `fare_product` columns), for the Title VI fare
 * equity analysis.
 *
 * Contribution bounding per token-day (the privacy unit): the token-day's tap-ons in
 * (event_timestamp, transaction_id) order, only the first `rows` count (`total` when the
 * protocol declares no row cap). A kept tap at a stop or of a product missing from the published
 * grid uses up the allowance and is then dropped. Each (stop, product) count is clipped to the
 * declared cell range.
 */
export const tapsByStopProduct: Connector = async ({ plan, input, files }) => {
  const { fareTransactions } = requireFiles('taps-by-stop-product', files, ['fareTransactions']);
  const bound = requireContribution(input);
  const { tokenDays, rowsRead } = await tapOnsByTokenDay(
    fareTransactions,
    gtfsDate(plan.parameters.serviceDate),
  );
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  const maxRows = bound.rows ?? bound.total;
  let rowsUsed = 0;
  for (const taps of tokenDays) {
    for (const tap of taps.slice(0, maxRows)) {
      const i = cell([tap.stop, tap.product]);
      if (i < 0) continue;
      values[i] += 1;
      rowsUsed++;
    }
  }
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};
