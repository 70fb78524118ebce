import type { Connector } from './connector.js';
import { cappedWindowSpend, type PaidRow, type WindowBound } from './card-days.js';
import { perCardRows } from './card-rows.js';

/** The public axis a per-card input is keyed on after the join axis, and how a row names it. */
const KEYS = {
  route: (r: PaidRow): string => r.route,
  product: (r: PaidRow): string => r.product,
} as const;

/**
 * Fare payment processor, per card (a join protocol's tap-holder input): trips (tap-ons) among
 * the first `rows` paid rows of the card's day, by route or by fare product. A row keyed off
 * the public grid uses up its allowance and is dropped.
 */
function tripsBy(key: keyof typeof KEYS, name: string): Connector {
  return (context) =>
    perCardRows(name, context, (days, cell, row) => {
      let used = 0;
      for (const r of days.flat()) {
        const i = cell([KEYS[key](r)]);
        if (!r.tapOn || i < 0) continue;
        row[i] += 1;
        used++;
      }
      return used;
    });
}

/**
 * Fare payment processor, per card: spend in cents over the first `rows` paid rows of the card's
 * day, by route or by fare product, capped at the contribution total for the token-day (each
 * amount clipped, then the running total). A row keyed off the grid uses up its allowance.
 */
function spendBy(key: keyof typeof KEYS, name: string): Connector {
  return (context) =>
    perCardRows(name, context, (days, cell, row, bound) =>
      addSpend(days, (r) => cell([KEYS[key](r)]), row, bound),
    );
}

/**
 * Adds a card's spend over its kept rows (per day of the window) into its row of cells (`cellOf`
 * a row's cell, −1 off the grid), capped per token-day and per token-window as `bound` says;
 * returns how many rows landed on the grid.
 */
export function addSpend(
  days: readonly (readonly PaidRow[])[],
  cellOf: (row: PaidRow) => number,
  row: Float64Array,
  bound: WindowBound,
): number {
  const spend = cappedWindowSpend(days, bound);
  let used = 0;
  days.forEach((kept, d) =>
    kept.forEach((r, k) => {
      const i = cellOf(r);
      if (i < 0) return;
      row[i] += spend[d][k];
      used++;
    }),
  );
  return used;
}

export const cardTripsByRoute = tripsBy('route', 'card-trips-by-route');
export const cardTripsByProduct = tripsBy('product', 'card-trips-by-product');
export const cardSpendByRoute = spendBy('route', 'card-spend-by-route');
export const cardSpendByProduct = spendBy('product', 'card-spend-by-product');
