import type { Connector } from './connector.js';
import { perCardRows } from './card-rows.js';

/**
 * Fare payment processor, per card (a join protocol's tap-holder input): trips (tap-ons) by
 * route among the first `rows` paid rows of the card's day. A row on a route off the public
 * grid uses up its allowance and is dropped.
 */
export const cardTripsByRoute: Connector = (context) =>
  perCardRows('card-trips-by-route', context, (kept, cell, row) => {
    let used = 0;
    for (const r of kept) {
      const i = cell([r.route]);
      if (!r.tapOn || i < 0) continue;
      row[i] += 1;
      used++;
    }
    return used;
  });
