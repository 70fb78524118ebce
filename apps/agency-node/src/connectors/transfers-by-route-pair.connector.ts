import { type Connector, clipCells, gridIndex, gtfsDate } from './connector.js';
import { requireContribution, requireFiles } from './connector-files.js';
import { tapOnsByTokenDay } from './fare-taps.js';

/** Longest gap between two linked tap-ons, seconds, inclusive (the transfer window). */
export const TRANSFER_WINDOW_SECONDS = 7200;

/**
 * Fare payment processor: transfers from route to route, from TIDES-style
 * `fare_transactions.csv`. A token-day's tap-ons in (event_timestamp, transaction_id) order, the
 * first `rows` of them, are linked pairwise: consecutive tap-ons on two different routes at most
 * `TRANSFER_WINDOW_SECONDS` apart (naive local time) are a transfer from the first route to the
 * second.
 *
 * Contribution bounding per token-day (the privacy unit): only its first `total` transfers
 * count. A transfer touching a route missing from the published grid (a mis-keyed route "0")
 * uses up the allowance and is then dropped. Each cell is clipped to the declared range.
 */
export const transfersByRoutePair: Connector = async ({ plan, input, files }) => {
  const { fareTransactions } = requireFiles('transfers-by-route-pair', files, ['fareTransactions']);
  const bound = requireContribution(input);
  const { tokenDays, rowsRead } = await tapOnsByTokenDay(
    fareTransactions,
    gtfsDate(plan.parameters.serviceDate),
  );
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  const maxRows = bound.rows ?? Number.MAX_SAFE_INTEGER;
  let rowsUsed = 0;
  for (const all of tokenDays) {
    const taps = all.slice(0, maxRows);
    let linked = 0;
    let lastUsed = -1;
    for (let k = 0; k + 1 < taps.length && linked < bound.total; k++) {
      const [a, b] = [taps[k], taps[k + 1]];
      if (a.route === b.route) continue;
      const gap = b.seconds - a.seconds;
      if (gap < 0 || gap > TRANSFER_WINDOW_SECONDS) continue;
      linked++;
      const i = cell([a.route, b.route]);
      if (i < 0) continue;
      values[i] += 1;
      // A tap can end one transfer and start the next: count each row once.
      rowsUsed += lastUsed === k ? 1 : 2;
      lastUsed = k + 1;
    }
  }
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};
