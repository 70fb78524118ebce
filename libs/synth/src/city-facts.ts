import { type City } from './city.js';

/** Row counts of every file `writeCity` writes (keys as in the manifest), plus truth totals. */
export interface CityFacts {
  seed: string;
  scale: string;
  serviceDate: string;
  paramsHash: string;
  population: number;
  rows: Record<string, number>;
  fareActions: { 'tap-on': number; 'tap-off': number; denied: number };
  /** Distinct tokens with at least one fare transaction. */
  activeTokens: number;
  /** Riders of the population (cash and card), active or not. */
  riders: number;
  trueBoardings: number;
  cashBoardings: number;
  targetBoardings: number;
}

export function cityFacts(city: City): CityFacts {
  const t = city.transit;
  const p = city.planning;
  const taps = city.payments.fareTransactions;
  const stopTimes = t.trips.reduce(
    (n, trip) => n + t.patterns[trip.patternIndex].stopIndices.length,
    0,
  );
  const rows: Record<string, number> = {
    'planning/enrolment.csv': p.enrolment.length,
    'planning/lodes_wac.csv': p.zones.length,
    'planning/stop_equity.csv': p.stopEquity.length,
    'planning/stop_zone.csv': p.stopZones.length,
    'planning/zones.csv': p.zones.length,
    'payments/fare_transactions.csv': taps.length,
    'public/fare_products.txt': t.fareProducts.length,
    'public/routes.txt': t.routes.length,
    'public/stop_zone.csv': p.stopZones.length,
    'public/stops.txt': t.stops.length,
    'public/zones.csv': p.zones.length,
    'transit/agency.txt': 1,
    'transit/board_alight.txt': t.boardAlight.length,
    'transit/calendar.txt': t.calendar.length,
    'transit/calendar_dates.txt': t.calendarDates.length,
    'transit/fare_media.txt': t.fareMedia.length,
    'transit/fare_products.txt': t.fareProducts.length,
    'transit/rider_categories.txt': t.riderCategories.length,
    'transit/route_costs.csv': t.routeCosts.length,
    'transit/routes.txt': t.routes.length,
    'transit/stop_times.txt': stopTimes,
    'transit/stops.txt': t.stops.length,
    'transit/trips.txt': t.trips.length,
  };
  const fareActions = { 'tap-on': 0, 'tap-off': 0, denied: 0 };
  const tokens = new Set<string>();
  for (const row of taps) {
    fareActions[row.fareAction]++;
    tokens.add(row.tokenId);
  }
  return {
    seed: city.seed,
    scale: city.scale,
    serviceDate: city.serviceDate,
    paramsHash: city.paramsHash,
    population: p.zones.reduce((n, z) => n + z.population, 0),
    rows,
    fareActions,
    activeTokens: tokens.size,
    riders: city.truth.riders.length,
    trueBoardings: city.truth.stats.boardings,
    cashBoardings: city.truth.stats.cashBoardings,
    targetBoardings: Math.round(city.truth.targetBoardings),
  };
}
