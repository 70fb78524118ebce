import {
  type OracleCity,
  compareAxisKeys,
  requireCount,
  requireServiceDate,
  toBigInts,
  tokenDays,
} from './oracle-inputs.js';
import { gtfsTimeHour, timestampHour } from './time-format.js';

export interface RevenuePerBoardingParams {
  serviceDate: string;
  /** Fare rows kept per token-day (the first ones in time order). */
  maxTapsPerTokenDay?: number;
  /** Each row's amount and the token-day's running total are capped at this many cents. */
  maxCentsPerTokenDay?: number;
  /** Each (route, hour) boardings cell is clipped to [0, maxBoardingsPerCell]. */
  maxBoardingsPerCell: number;
}

export interface RevenuePerBoardingResult {
  /** route_id of routes.txt, in natural order (9 before 10). */
  routes: string[];
  /** 0..23. */
  hours: number[];
  /** Route-major cells: index = routeIndex * 24 + hour. */
  boardings: bigint[];
  revenueCents: bigint[];
}

/**
 * Revenue per boarding by route x hour, before noise.
 * Boardings (T): board_alight rows with record_use 0 on the service date, summed per (trip's
 * route, hour of service_arrival_time, 24:xx counting as hour 0), each cell clipped.
 * Revenue (P): tap-on and tap-off rows of the date; per token-day in (event_timestamp,
 * transaction_id) order keep the first maxTapsPerTokenDay rows, clip each amount to
 * [0, maxCentsPerTokenDay], then let each row contribute min(amount, what is left of
 * maxCentsPerTokenDay); add the contribution to (route_id, hour of event_timestamp). Rows whose
 * route_id is not in routes.txt still use up the token-day's allowance, then are dropped.
 */
export function revenuePerBoardingOracle(
  city: OracleCity,
  params: RevenuePerBoardingParams,
): RevenuePerBoardingResult {
  const serviceDate = requireServiceDate(params.serviceDate);
  const maxTaps = requireCount('maxTapsPerTokenDay', params.maxTapsPerTokenDay ?? 8);
  const maxCents = requireCount('maxCentsPerTokenDay', params.maxCentsPerTokenDay ?? 500);
  const maxCell = requireCount('maxBoardingsPerCell', params.maxBoardingsPerCell);

  const routes = [...new Set(city.transit.routes.map((r) => r.routeId))].sort(compareAxisKeys);
  const routeIndex = new Map(routes.map((r, i) => [r, i]));
  const tripRoute = new Map(city.transit.trips.map((t) => [t.tripId, t.routeId]));
  const cells = routes.length * 24;

  const boardings = new Array<number>(cells).fill(0);
  for (const row of city.transit.boardAlight) {
    if (row.recordUse !== 0 || row.serviceDate !== serviceDate || row.boardings === null) continue;
    const route = routeIndex.get(tripRoute.get(row.tripId) ?? '');
    if (route === undefined) continue;
    boardings[route * 24 + gtfsTimeHour(row.serviceArrivalTime)] += row.boardings;
  }

  const revenue = new Array<number>(cells).fill(0);
  const groups = tokenDays(
    city.payments.fareTransactions,
    serviceDate,
    (r) => r.fareAction === 'tap-on' || r.fareAction === 'tap-off',
  );
  for (const rows of groups) {
    let left = maxCents;
    for (const row of rows.slice(0, maxTaps)) {
      const amount = Math.min(Math.max(row.amountCents, 0), maxCents);
      const contribution = Math.min(amount, left);
      left -= contribution;
      const route = routeIndex.get(row.routeId);
      if (route !== undefined)
        revenue[route * 24 + timestampHour(row.eventTimestamp)] += contribution;
    }
  }

  return {
    routes,
    hours: Array.from({ length: 24 }, (_, h) => h),
    boardings: toBigInts(boardings.map((b) => Math.min(Math.max(b, 0), maxCell))),
    revenueCents: toBigInts(revenue),
  };
}
