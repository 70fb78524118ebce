import {
  type OracleCity,
  compareAxisKeys,
  requireCount,
  requireServiceDate,
  toBigInts,
  tokenDays,
} from './oracle-inputs.js';
import { naiveTimestampSeconds } from './time-format.js';

export interface TransfersParams {
  serviceDate: string;
  /** Longest gap between linked tap-ons, seconds (inclusive). */
  windowSeconds?: number;
  /** Tap-on rows kept per token-day (the first ones in time order) before linking. */
  maxTapsPerTokenDay?: number;
  /** Linked pairs counted per token-day (the first ones in time order). */
  maxTransfersPerTokenDay?: number;
}

export interface TransfersResult {
  /** route_id of routes.txt, in natural order (9 before 10). */
  routes: string[];
  /** From-major cells: index = fromIndex * routes.length + toIndex. */
  counts: bigint[];
}

/**
 * Transfers route x route, before noise. P: tap-on rows of the date; per token-day in
 * (event_timestamp, transaction_id) order keep the first maxTapsPerTokenDay; each consecutive
 * pair (i, i+1) with different route_id values and 0 <= t(i+1) - t(i) <= windowSeconds
 * (timestamps read as naive local time) is a transfer; the first maxTransfersPerTokenDay of them
 * count, and those with a route_id not in routes.txt (e.g. "0") are then dropped.
 */
export function transfersOracle(city: OracleCity, params: TransfersParams): TransfersResult {
  const serviceDate = requireServiceDate(params.serviceDate);
  const window = requireCount('windowSeconds', params.windowSeconds ?? 7200);
  const maxTaps = requireCount('maxTapsPerTokenDay', params.maxTapsPerTokenDay ?? 8);
  const maxTransfers = requireCount('maxTransfersPerTokenDay', params.maxTransfersPerTokenDay ?? 4);

  const routes = [...new Set(city.transit.routes.map((r) => r.routeId))].sort(compareAxisKeys);
  const routeIndex = new Map(routes.map((r, i) => [r, i]));
  const counts = new Array<number>(routes.length * routes.length).fill(0);

  for (const rows of tokenDays(
    city.payments.fareTransactions,
    serviceDate,
    (r) => r.fareAction === 'tap-on',
  )) {
    const kept = rows.slice(0, maxTaps);
    let linked = 0;
    for (let i = 0; i + 1 < kept.length && linked < maxTransfers; i++) {
      const a = kept[i];
      const b = kept[i + 1];
      if (a.routeId === b.routeId) continue;
      const gap = naiveTimestampSeconds(b.eventTimestamp) - naiveTimestampSeconds(a.eventTimestamp);
      if (gap < 0 || gap > window) continue;
      linked++;
      const from = routeIndex.get(a.routeId);
      const to = routeIndex.get(b.routeId);
      if (from !== undefined && to !== undefined) counts[from * routes.length + to]++;
    }
  }
  return { routes, counts: toBigInts(counts) };
}
