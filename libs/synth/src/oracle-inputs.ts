import {
  type BoardAlightRecord,
  type FareProductRecord,
  type FareTransactionRecord,
  type RouteRecord,
  type StopEquityRecord,
  type StopRecord,
  type StopZoneRecord,
  type TripRecord,
  type ZoneRecord,
} from './city-records.js';
import { SynthError } from './synth-error.js';

/**
 * The records the oracles read: a `City` satisfies it, and so does a hand-built fixture. The
 * oracles never read the written files (the agency nodes parse those with their own code).
 */
export interface OracleCity {
  transit: {
    routes: readonly Pick<RouteRecord, 'routeId'>[];
    trips: readonly Pick<TripRecord, 'tripId' | 'routeId'>[];
    stops: readonly Pick<StopRecord, 'stopId'>[];
    fareProducts: readonly Pick<FareProductRecord, 'fareProductId'>[];
    boardAlight: readonly BoardAlightRecord[];
  };
  payments: { fareTransactions: readonly FareTransactionRecord[] };
  planning: {
    zones: readonly Pick<ZoneRecord, 'geoid' | 'population'>[];
    stopZones: readonly StopZoneRecord[];
    stopEquity: readonly StopEquityRecord[];
  };
}

/** Code-unit order (timestamps and transaction ids). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const axisCollator = new Intl.Collator('en', { numeric: true });

/**
 * The order of a public axis's keys (route, zone, fare product): natural order, as the
 * coordinator lists them (`compareAxisValues` in #concord/protocol), so "9" comes before "10".
 */
export function compareAxisKeys(a: string, b: string): number {
  return axisCollator.compare(a, b) || compareStrings(a, b);
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareAxisKeys);
}

export function requireCount(name: string, value: number | undefined): number {
  if (value === undefined || !Number.isSafeInteger(value) || value < 0) {
    throw new SynthError('invalid-params', `${name} must be a non-negative integer`);
  }
  return value;
}

export function requireServiceDate(serviceDate: string): string {
  if (!/^\d{8}$/.test(serviceDate)) {
    throw new SynthError('invalid-params', 'serviceDate must be YYYYMMDD');
  }
  return serviceDate;
}

/**
 * Fare rows of one day grouped by token, each group in (event_timestamp, transaction_id) order
 * (both compared as strings; ISO local timestamps of fixed width sort chronologically).
 */
export function tokenDays(
  rows: readonly FareTransactionRecord[],
  serviceDate: string,
  keep: (row: FareTransactionRecord) => boolean,
): FareTransactionRecord[][] {
  const groups = new Map<string, FareTransactionRecord[]>();
  for (const row of rows) {
    if (row.serviceDate !== serviceDate || !keep(row)) continue;
    const list = groups.get(row.tokenId);
    if (list) list.push(row);
    else groups.set(row.tokenId, [row]);
  }
  const out = [...groups.values()];
  for (const list of out) {
    list.sort(
      (a, b) =>
        compareStrings(a.eventTimestamp, b.eventTimestamp) ||
        compareStrings(a.transactionId, b.transactionId),
    );
  }
  return out;
}

export const toBigInts = (values: ArrayLike<number>): bigint[] =>
  Array.from(values, (v) => BigInt(v));
