import {
  type OracleCity,
  requireCount,
  requireServiceDate,
  sortedUnique,
  toBigInts,
  tokenDays,
} from './oracle-inputs.js';

export const EQUITY_GROUPS = ['low_income', 'not_low_income', 'minority', 'not_minority'] as const;
export type EquityGroup = (typeof EQUITY_GROUPS)[number];

export interface TitleViFareEquityParams {
  serviceDate: string;
  /** Tap-on rows kept per token-day (the first ones in time order). */
  maxTapsPerTokenDay?: number;
  /** Each (stop, fare product) tap count is clipped to [0, maxTapsPerStopProduct]. */
  maxTapsPerStopProduct: number;
}

export interface TitleViFareEquityResult {
  /** fare_product_id values of fare_products.txt, in natural order (9 before 10). */
  fareProducts: string[];
  groups: readonly EquityGroup[];
  /** Product-major cells: index = productIndex * 4 + groupIndex. */
  usage: bigint[];
}

/**
 * Title VI fare equity (usage by fare product x group), before noise: the product the MPC
 * computes, P's per-stop usage vector times C's private per-stop indicator (or its complement).
 * P: tap-on rows of the date; per token-day in (event_timestamp, transaction_id) order keep the
 * first maxTapsPerTokenDay; drop rows whose stop_id is not in stops.txt or whose fare_product is
 * not in fare_products.txt; count per (stop, product) and clip each count. C: stop_equity's 0/1
 * low_income and minority flags; stops without a stop_equity row count in no group.
 * usage[p, g] = sum over stops of count[s, p] * indicator_g[s].
 */
export function titleViFareEquityOracle(
  city: OracleCity,
  params: TitleViFareEquityParams,
): TitleViFareEquityResult {
  const serviceDate = requireServiceDate(params.serviceDate);
  const maxTaps = requireCount('maxTapsPerTokenDay', params.maxTapsPerTokenDay ?? 8);
  const maxCell = requireCount('maxTapsPerStopProduct', params.maxTapsPerStopProduct);

  const fareProducts = sortedUnique(city.transit.fareProducts.map((p) => p.fareProductId));
  const productIndex = new Map(fareProducts.map((p, i) => [p, i]));
  const knownStops = new Set(city.transit.stops.map((s) => s.stopId));

  const counts = new Map<string, number[]>();
  for (const rows of tokenDays(
    city.payments.fareTransactions,
    serviceDate,
    (r) => r.fareAction === 'tap-on',
  )) {
    for (const row of rows.slice(0, maxTaps)) {
      const product = productIndex.get(row.fareProduct);
      if (product === undefined || !knownStops.has(row.stopId)) continue;
      let perProduct = counts.get(row.stopId);
      if (!perProduct) {
        perProduct = new Array<number>(fareProducts.length).fill(0);
        counts.set(row.stopId, perProduct);
      }
      perProduct[product]++;
    }
  }

  const usage = new Array<number>(fareProducts.length * EQUITY_GROUPS.length).fill(0);
  const equity = new Map(city.planning.stopEquity.map((e) => [e.stopId, e]));
  for (const [stopId, perProduct] of counts) {
    const e = equity.get(stopId);
    if (!e) continue;
    const indicators = [e.lowIncome, 1 - e.lowIncome, e.minority, 1 - e.minority];
    perProduct.forEach((raw, p) => {
      const count = Math.min(raw, maxCell);
      indicators.forEach((ind, g) => (usage[p * EQUITY_GROUPS.length + g] += count * ind));
    });
  }
  return { fareProducts, groups: EQUITY_GROUPS, usage: toBigInts(usage) };
}
