import {
  type OracleCity,
  compareAxisKeys,
  requireCount,
  requireServiceDate,
  toBigInts,
} from './oracle-inputs.js';

export interface RidershipPerCapitaParams {
  serviceDate: string;
  /** T's boardings per stop are clipped to [0, maxBoardingsPerStop] before mapping to zones. */
  maxBoardingsPerStop: number;
  /** C's population per zone is clipped to [0, maxPopulationPerZone]. */
  maxPopulationPerZone: number;
}

export interface RidershipPerCapitaResult {
  /** GEOIDs of zones.csv, in natural order (9 before 10). */
  zones: string[];
  boardings: bigint[];
  population: bigint[];
}

/**
 * Ridership per capita by zone, before noise. Boardings (T): board_alight rows with
 * record_use 0 on the service date summed per stop_id, each stop clipped, then summed per zone
 * through planning's stop_zone crosswalk (stops without a crosswalk row, or mapped to an unknown
 * GEOID, are dropped). Population (C): B01003_001E per zone, clipped. The ratio is
 * post-processing.
 */
export function ridershipPerCapitaOracle(
  city: OracleCity,
  params: RidershipPerCapitaParams,
): RidershipPerCapitaResult {
  const serviceDate = requireServiceDate(params.serviceDate);
  const maxStop = requireCount('maxBoardingsPerStop', params.maxBoardingsPerStop);
  const maxPop = requireCount('maxPopulationPerZone', params.maxPopulationPerZone);

  const zones = [...city.planning.zones].sort((a, b) => compareAxisKeys(a.geoid, b.geoid));
  const zoneIndex = new Map(zones.map((z, i) => [z.geoid, i]));
  const stopZone = new Map(city.planning.stopZones.map((s) => [s.stopId, s.geoid]));

  const perStop = new Map<string, number>();
  for (const row of city.transit.boardAlight) {
    if (row.recordUse !== 0 || row.serviceDate !== serviceDate || row.boardings === null) continue;
    perStop.set(row.stopId, (perStop.get(row.stopId) ?? 0) + row.boardings);
  }
  const boardings = new Array<number>(zones.length).fill(0);
  for (const [stopId, count] of perStop) {
    const zone = zoneIndex.get(stopZone.get(stopId) ?? '');
    if (zone !== undefined) boardings[zone] += Math.min(Math.max(count, 0), maxStop);
  }

  return {
    zones: zones.map((z) => z.geoid),
    boardings: toBigInts(boardings),
    population: toBigInts(zones.map((z) => Math.min(Math.max(z.population, 0), maxPop))),
  };
}
