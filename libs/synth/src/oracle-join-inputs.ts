import {
  type EnrolmentRecord,
  type FareProductRecord,
  type FareTransactionRecord,
  type RouteRecord,
  type StopZoneRecord,
  type ZoneRecord,
} from './city-records.js';
import { sortedUnique } from './oracle-inputs.js';

/**
 * The records the join oracles read (reduced-fare use, enrolled origin–destination flows,
 * fare-capping impact): a `City` satisfies it, and so does a hand-built fixture. Axes (routes,
 * fare products, zones, the stop→zone crosswalk) are public; the taps are the processor's and
 * the enrolment list is planning's, which is why the protocols need a private join.
 */
export interface JoinOracleCity {
  transit: {
    routes: readonly Pick<RouteRecord, 'routeId'>[];
    fareProducts: readonly Pick<FareProductRecord, 'fareProductId'>[];
  };
  payments: { fareTransactions: readonly FareTransactionRecord[] };
  planning: {
    zones: readonly Pick<ZoneRecord, 'geoid'>[];
    stopZones: readonly StopZoneRecord[];
    enrolment: readonly Pick<EnrolmentRecord, 'tokenId'>[];
  };
}

/** A public axis: its keys in natural order and each key's index. */
export interface Axis {
  keys: string[];
  index: Map<string, number>;
}

export function axisOf(values: Iterable<string>): Axis {
  const keys = sortedUnique(values);
  return { keys, index: new Map(keys.map((k, i) => [k, i])) };
}

/** The zone axis and each stop's zone index (stops without a crosswalk row or a known GEOID: none). */
export function zoneAxis(city: JoinOracleCity): { zones: Axis; zoneOfStop: Map<string, number> } {
  const zones = axisOf(city.planning.zones.map((z) => z.geoid));
  const zoneOfStop = new Map<string, number>();
  for (const s of city.planning.stopZones) {
    const z = zones.index.get(s.geoid);
    if (z !== undefined) zoneOfStop.set(s.stopId, z);
  }
  return { zones, zoneOfStop };
}

export const enrolledTokens = (city: JoinOracleCity): Set<string> =>
  new Set(city.planning.enrolment.map((e) => e.tokenId));

/**
 * The per-row spend a token-day may contribute, as the revenue oracle clips it: each amount
 * clipped to [0, maxCents], then min(amount, what is left of maxCents for the token-day).
 */
export function clippedSpend(rows: readonly FareTransactionRecord[], maxCents: number): number[] {
  let left = maxCents;
  return rows.map((row) => {
    const amount = Math.min(Math.max(row.amountCents, 0), maxCents);
    const contribution = Math.min(amount, left);
    left -= contribution;
    return contribution;
  });
}

/** Fare actions that move money: a tap-on pays the fare, a rail tap-off the zone supplement. */
export const isPaidAction = (row: FareTransactionRecord): boolean =>
  row.fareAction === 'tap-on' || row.fareAction === 'tap-off';
