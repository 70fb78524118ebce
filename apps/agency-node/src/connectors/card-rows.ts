import { type PlanInput, planServiceDates, type SessionPlan } from '#concord/protocol';
import { type ConnectorContext, type ConnectorReport, clipCells, gridIndex } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { requireCards, requireContribution, requireFiles } from './connector-files.js';
import { type PaidRow, readCardDates, type WindowBound } from './card-days.js';

/** A per-card input's bounds over its plan's window, per token-day and per token-window. */
export interface CardWindowBound extends WindowBound {
  readonly dayRows: number;
  readonly rows: number;
}

/**
 * The window bound a contribution declares: for a one-day window its `total` and `rows` per
 * token-day; for a longer one, `perDay` per token-day (the window's own when absent) and the
 * window's `total` and `rows` over the token's days.
 */
export function windowBoundOf(
  contribution: NonNullable<PlanInput['contribution']>,
): CardWindowBound {
  const rows = contribution.rows ?? Number.MAX_SAFE_INTEGER;
  return {
    dayTotal: contribution.perDay?.total ?? contribution.total,
    total: contribution.total,
    dayRows: contribution.perDay?.rows ?? rows,
    rows,
  };
}

/** The service days a plan's card connectors read, in order: its one day, or its week's seven. */
export function cardServiceDates(connector: string, plan: SessionPlan): readonly string[] {
  const dates = planServiceDates(plan);
  if (dates.length === 0)
    throw new ConnectorError(
      'protocol',
      undefined,
      undefined,
      `connector ${connector} reads per service date and the protocol has none`,
    );
  return dates;
}

/**
 * A token's kept rows per day of the window (in date order): the first `dayRows` of each
 * token-day, then at most `rows` over the window in time order.
 */
export function keptRows(
  days: readonly (readonly PaidRow[] | undefined)[],
  bound: CardWindowBound,
): PaidRow[][] {
  let left = bound.rows;
  return days.map((rows) => {
    const kept = (rows ?? []).slice(0, Math.min(bound.dayRows, left));
    left -= kept.length;
    return kept;
  });
}

/**
 * The shared shape of the tap holder's per-card connectors: one row per card of `cards` (the
 * join's token list, in its order), over the input's axes after the join axis, from each
 * token-day's first paid rows over the plan's service days (one day, or a week: the fare file is
 * parsed once per session for all of them). `add` puts a card's kept rows, per day in date
 * order, into its row of cells under the input's window bound.
 */
export async function perCardRows(
  connector: string,
  context: ConnectorContext,
  add: (
    days: readonly (readonly PaidRow[])[],
    cell: (keys: readonly string[]) => number,
    row: Float64Array,
    bound: CardWindowBound,
  ) => number,
): Promise<{ values: Float64Array; report: ConnectorReport }> {
  const { plan, input, files, scope } = context;
  const cards = requireCards(connector, context.cards);
  const { fareTransactions } = requireFiles(connector, files, ['fareTransactions']);
  const bound = windowBoundOf(requireContribution(input));
  const { days, rowsRead } = await readCardDates(
    fareTransactions,
    cardServiceDates(connector, plan),
    { product: input.axes.includes('fare_product'), stop: input.axes.includes('zone') },
    scope,
  );
  const cell = gridIndex(plan, input.axes.slice(1));
  const width = input.length / (plan.join?.capacity ?? 1);
  const values = new Float64Array(cards.length * width);
  let rowsUsed = 0;
  cards.forEach((token, c) => {
    const kept = keptRows(
      days.map((byToken) => byToken.get(token)),
      bound,
    );
    rowsUsed += add(kept, cell, values.subarray(c * width, (c + 1) * width), bound);
  });
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
}
