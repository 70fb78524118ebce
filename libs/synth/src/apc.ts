import {
  type BoardAlightRecord,
  type StopPattern,
  type StopRecord,
  type TripRecord,
} from './city-records.js';
import { type NoiseParams } from './params.js';
import { substream } from './substream.js';
import { gtfsTime } from './time-format.js';

export interface ApcContext {
  seed: string;
  serviceDate: string;
  noise: NoiseParams;
  stops: readonly StopRecord[];
  patterns: readonly StopPattern[];
  trips: readonly TripRecord[];
  visitBase: Int32Array;
  delays: Float64Array;
}

/**
 * GTFS-ride board_alight rows for one trip from its true per-stop counts, as an automatic
 * passenger counter reports them: only equipped trips (coverage), some equipped trips missing,
 * some reporting loads only (record_use = 1, empty counts); counts carry multiplicative error
 * N(1, sd), then are balanced so the load never goes negative and the vehicle ends empty.
 */
export function apcRowsForTrip(
  ctx: ApcContext,
  tripIndex: number,
  trueBoardings: Int32Array,
  trueAlightings: Int32Array,
  out: BoardAlightRecord[],
): void {
  const trip = ctx.trips[tripIndex];
  const rng = substream(ctx.seed, 'T', 'apc-trip', `${ctx.serviceDate}:${trip.tripId}`);
  if (!rng.chance(ctx.noise.apcCoverage)) return;
  if (rng.chance(ctx.noise.apcMissingTripRate)) return;
  const loadOnly = rng.chance(ctx.noise.apcLoadOnlyTripRate);
  const pattern = ctx.patterns[trip.patternIndex];
  const base = ctx.visitBase[tripIndex];
  const start = trip.startSeconds + ctx.delays[tripIndex];
  const n = pattern.stopIndices.length;
  let load = 0;
  for (let k = 0; k < n; k++) {
    const noisy = (x: number): number =>
      x === 0 ? 0 : Math.max(0, Math.round(x * rng.normal(1, ctx.noise.apcErrorSd)));
    // Nobody boards at the last stop and everyone still aboard leaves there.
    const on = k === n - 1 ? 0 : noisy(trueBoardings[base + k]);
    const off = k === n - 1 ? load : Math.min(noisy(trueAlightings[base + k]), load);
    load += on - off;
    const arrival = Math.round(start + pattern.offsetsSeconds[k]);
    const dwell = on + off > 0 ? Math.min(120, 10 + 2 * on + off) : 0;
    out.push({
      tripId: trip.tripId,
      stopId: ctx.stops[pattern.stopIndices[k]].stopId,
      stopSequence: k + 1,
      recordUse: loadOnly ? 1 : 0,
      scheduleRelationship: 0,
      boardings: loadOnly ? null : on,
      alightings: loadOnly ? null : off,
      currentLoad: load,
      loadType: 1,
      serviceDate: ctx.serviceDate,
      serviceArrivalTime: gtfsTime(arrival),
      serviceDepartureTime: gtfsTime(arrival + dwell),
      source: 1,
    });
  }
}
