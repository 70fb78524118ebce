import { type ConnectorContext, type ConnectorReport, clipCells, gridIndex } from './connector.js';
import { requireCards, requireContribution, requireFiles } from './connector-files.js';
import { type PaidRow, readCardDays } from './card-days.js';

/**
 * The shared shape of the tap holder's per-card connectors: one row per card of `cards` (the
 * join's token list, in its order), over the input's axes after the join axis, from the first
 * `rows` paid rows of each token-day. `add` puts a card's kept rows into its row of cells.
 */
export async function perCardRows(
  connector: string,
  context: ConnectorContext,
  add: (
    kept: readonly PaidRow[],
    cell: (keys: readonly string[]) => number,
    row: Float64Array,
    cap: number,
  ) => number,
): Promise<{ values: Float64Array; report: ConnectorReport }> {
  const { plan, input, files, scope } = context;
  const cards = requireCards(connector, context.cards);
  const { fareTransactions } = requireFiles(connector, files, ['fareTransactions']);
  const bound = requireContribution(input);
  const { byToken, rowsRead } = await readCardDays(
    fareTransactions,
    plan.parameters.serviceDate,
    { product: input.axes.includes('fare_product'), stop: input.axes.includes('zone') },
    scope,
  );
  const cell = gridIndex(plan, input.axes.slice(1));
  const width = input.length / (plan.join?.capacity ?? 1);
  const values = new Float64Array(cards.length * width);
  let rowsUsed = 0;
  cards.forEach((token, c) => {
    const kept = (byToken.get(token) ?? []).slice(0, bound.rows ?? Number.MAX_SAFE_INTEGER);
    rowsUsed += add(kept, cell, values.subarray(c * width, (c + 1) * width), bound.total);
  });
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
}
