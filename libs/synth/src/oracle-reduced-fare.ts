import {
  axisOf,
  clippedSpend,
  enrolledTokens,
  isPaidAction,
  type JoinOracleCity,
} from './oracle-join-inputs.js';
import { requireCount, requireServiceDate, toBigInts, tokenDays } from './oracle-inputs.js';
import { timestampHour } from './time-format.js';

export interface ReducedFareUseParams {
  serviceDate: string;
  /** Fare rows (tap-on and tap-off) kept per token-day, the first ones in time order. */
  maxTapsPerTokenDay?: number;
  /** Each row's amount and the token-day's running total are capped at this many cents. */
  maxCentsPerTokenDay?: number;
}

/** Trips (tap-ons) and spend (cents) of enrolled riders and of all card riders, per cell. */
export interface ReducedFareUseCells {
  enrolledTrips: bigint[];
  enrolledSpendCents: bigint[];
  allTrips: bigint[];
  allSpendCents: bigint[];
}

export interface ReducedFareUseResult {
  /** route_id of routes.txt, in natural order (9 before 10). */
  routes: string[];
  /** 0..23. */
  hours: number[];
  /** fare_product_id of fare_products.txt, distinct, in natural order. */
  fareProducts: string[];
  /** Route-major cells: index = routeIndex * 24 + hour. */
  byRouteHour: ReducedFareUseCells;
  /** One cell per fare product. */
  byProduct: ReducedFareUseCells;
}

const emptyCells = (n: number): Record<keyof ReducedFareUseCells, number[]> => ({
  enrolledTrips: new Array<number>(n).fill(0),
  enrolledSpendCents: new Array<number>(n).fill(0),
  allTrips: new Array<number>(n).fill(0),
  allSpendCents: new Array<number>(n).fill(0),
});

const toCells = (c: Record<keyof ReducedFareUseCells, number[]>): ReducedFareUseCells => ({
  enrolledTrips: toBigInts(c.enrolledTrips),
  enrolledSpendCents: toBigInts(c.enrolledSpendCents),
  allTrips: toBigInts(c.allTrips),
  allSpendCents: toBigInts(c.allSpendCents),
});

/**
 * Reduced-fare programme use, before noise: trips and spend of enrolled riders against all card
 * riders, by route × hour and by fare product.
 * P: tap-on and tap-off rows of the date; per token-day in (event_timestamp, transaction_id)
 * order keep the first maxTapsPerTokenDay rows; a kept tap-on is one trip (duplicate taps are
 * not removed: they are rows like any other, as in the other catalogue oracles); a kept row's
 * spend is its amount clipped to [0, maxCentsPerTokenDay], then to what is left of
 * maxCentsPerTokenDay for the token-day (as `revenuePerBoardingOracle`). Each kept row adds to
 * (route_id, hour of event_timestamp) and to fare_product; a row whose route_id or fare_product
 * is not on the public axis is dropped from that grid only, after using up its allowance.
 * C: a token is enrolled when it is on planning's enrolment list; the `enrolled` cells are the
 * `all` cells restricted to those tokens (the private join's match indicator).
 * Per token-day bound, in each grid and each of the two populations: trips ≤
 * maxTapsPerTokenDay, spend ≤ maxCentsPerTokenDay, summed over all cells.
 */
export function reducedFareUseOracle(
  city: JoinOracleCity,
  params: ReducedFareUseParams,
): ReducedFareUseResult {
  const serviceDate = requireServiceDate(params.serviceDate);
  const maxTaps = requireCount('maxTapsPerTokenDay', params.maxTapsPerTokenDay ?? 8);
  const maxCents = requireCount('maxCentsPerTokenDay', params.maxCentsPerTokenDay ?? 500);

  const routes = axisOf(city.transit.routes.map((r) => r.routeId));
  const products = axisOf(city.transit.fareProducts.map((p) => p.fareProductId));
  const enrolled = enrolledTokens(city);
  const byRouteHour = emptyCells(routes.keys.length * 24);
  const byProduct = emptyCells(products.keys.length);

  for (const rows of tokenDays(city.payments.fareTransactions, serviceDate, isPaidAction)) {
    const kept = rows.slice(0, maxTaps);
    const spend = clippedSpend(kept, maxCents);
    const isEnrolled = enrolled.has(kept[0].tokenId);
    kept.forEach((row, i) => {
      const trip = row.fareAction === 'tap-on' ? 1 : 0;
      const route = routes.index.get(row.routeId);
      const product = products.index.get(row.fareProduct);
      const add = (cells: Record<keyof ReducedFareUseCells, number[]>, at: number): void => {
        cells.allTrips[at] += trip;
        cells.allSpendCents[at] += spend[i];
        if (!isEnrolled) return;
        cells.enrolledTrips[at] += trip;
        cells.enrolledSpendCents[at] += spend[i];
      };
      if (route !== undefined) add(byRouteHour, route * 24 + timestampHour(row.eventTimestamp));
      if (product !== undefined) add(byProduct, product);
    });
  }

  return {
    routes: routes.keys,
    hours: Array.from({ length: 24 }, (_, h) => h),
    fareProducts: products.keys,
    byRouteHour: toCells(byRouteHour),
    byProduct: toCells(byProduct),
  };
}
