import type { Connector } from './connector.js';
import { cappedSpend } from './card-days.js';
import { perCardRows } from './card-rows.js';

/**
 * Fare payment processor, per card (a join protocol's tap-holder input): spend in cents by fare
 * product over the first `rows` paid rows of the card's day, capped at the contribution total
 * for the token-day (each amount clipped, then the running total). A row whose product is off
 * the public grid uses up its allowance and is dropped.
 */
export const cardSpendByProduct: Connector = (context) =>
  perCardRows('card-spend-by-product', context, (kept, cell, row, cap) => {
    const spend = cappedSpend(kept, cap);
    let used = 0;
    kept.forEach((r, k) => {
      const i = cell([r.product]);
      if (i < 0) return;
      row[i] += spend[k];
      used++;
    });
    return used;
  });
