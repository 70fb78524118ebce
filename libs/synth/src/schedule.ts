import { type StopPattern, type TripRecord } from './city-records.js';
import { type NetworkLayout } from './network-layout.js';
import { type HeadwayBands, type NetworkParams } from './params.js';
import { substream } from './substream.js';
import { type DayType } from './time-format.js';

/** Trips of one service_id, indexed for "which trip of this pattern leaves stop k around t". */
export interface ServiceTimetable {
  serviceId: string;
  /** Per pattern: indices into `trips`, sorted by start time, and those start times. */
  patternTrips: Int32Array[];
  patternStarts: Float64Array[];
}

export interface Schedule {
  /** Two per route: index = routeIndex * 2 + directionId. */
  patterns: StopPattern[];
  trips: TripRecord[];
  timetables: Map<string, ServiceTimetable>;
  /** Offset of each trip's first stop visit in per-visit arrays (APC counters). */
  visitBase: Int32Array;
  totalVisits: number;
}

const H = 3600;
/** Band boundaries in service seconds: early, AM peak, base, PM peak, evening, night. */
const BAND_EDGES = [6.5 * H, 9 * H, 15.5 * H, 18.5 * H, 22 * H, Infinity];
const OWL_END = 27.5 * H;
/** Real streets are not straight lines. */
const DETOUR_FACTOR = 1.15;

function headwayMinutes(bands: HeadwayBands, t: number, dayType: DayType): number {
  const band = BAND_EDGES.findIndex((edge) => t < edge);
  const weekend = dayType !== 'weekday';
  switch (band) {
    case 0:
    case 4:
      return bands.evening * (weekend ? 1.25 : 1);
    case 1:
    case 3:
      return weekend ? bands.base * 1.25 : bands.peak;
    case 2:
      return bands.base * (weekend ? 1.25 : 1);
    default:
      return bands.night;
  }
}

function bandsFor(net: NetworkParams, kind: string, frequent: boolean): HeadwayBands {
  if (kind === 'rail') return net.headways.rail;
  if (kind === 'brt') return net.headways.brt;
  if (kind === 'express') return net.headways.express;
  return frequent ? net.headways.frequent : net.headways.local;
}

function speedFor(net: NetworkParams, kind: string): number {
  const kmh =
    kind === 'rail'
      ? net.speedsKmh.rail
      : kind === 'brt'
        ? net.speedsKmh.brt
        : kind === 'express'
          ? net.speedsKmh.express
          : net.speedsKmh.bus;
  return kmh / 3.6;
}

/**
 * Regular-headway timetables for each requested service_id: every route runs both directions
 * from `firstDepartureSeconds` to `lastDepartureSeconds` (owl routes until 03:30 the next
 * morning, as GTFS times 27:30:00), with band headways (libs/synth/README.md, 'Model').
 */
export function buildSchedule(
  seed: string,
  net: NetworkParams,
  layout: NetworkLayout,
  services: readonly { serviceId: string; dayType: DayType }[],
): Schedule {
  const patterns: StopPattern[] = [];
  layout.routes.forEach((route, r) => {
    const forward = layout.routeStops[r];
    const speed = speedFor(net, route.kind);
    for (const directionId of [0, 1] as const) {
      const stopIndices = directionId === 0 ? [...forward] : [...forward].reverse();
      const offsetsSeconds: number[] = [0];
      const distancesMeters: number[] = [0];
      for (let k = 1; k < stopIndices.length; k++) {
        const a = layout.stops[stopIndices[k - 1]];
        const b = layout.stops[stopIndices[k]];
        const d = Math.hypot(a.x - b.x, a.y - b.y) * DETOUR_FACTOR;
        distancesMeters.push(distancesMeters[k - 1] + Math.round(d));
        offsetsSeconds.push(Math.round(distancesMeters[k] / speed));
      }
      patterns.push({ routeIndex: r, directionId, stopIndices, offsetsSeconds, distancesMeters });
    }
  });

  const trips: TripRecord[] = [];
  const timetables = new Map<string, ServiceTimetable>();
  let fleetBase = 1000;
  for (const { serviceId, dayType } of services) {
    const patternTrips: number[][] = patterns.map(() => []);
    layout.routes.forEach((route, r) => {
      const bands = bandsFor(net, route.kind, route.frequent);
      const rng = substream(seed, 'T', 'route-schedule', `${serviceId}:${route.routeId}`);
      const end = route.owl ? OWL_END : net.lastDepartureSeconds;
      const start = net.firstDepartureSeconds + (dayType === 'weekday' ? 0 : 1.5 * H);
      const routeTrips: number[] = [];
      for (const directionId of [0, 1] as const) {
        const p = r * 2 + directionId;
        const pattern = patterns[p];
        const lastStop = layout.stops[pattern.stopIndices[pattern.stopIndices.length - 1]];
        // Random phases keep departures of different routes from bunching on the same minutes.
        let t =
          start + Math.round(rng.nextUniform(0, 1) * headwayMinutes(bands, start, dayType) * 60);
        let seq = 0;
        while (t <= end) {
          const headway = headwayMinutes(bands, t, dayType);
          if (!(headway > 0)) {
            const next = BAND_EDGES.find((edge) => edge > t) ?? Infinity;
            if (next === Infinity) break;
            t = next;
            continue;
          }
          seq++;
          const index = trips.length;
          trips.push({
            tripId: `${route.routeId}-${serviceId}-${directionId}-${String(seq).padStart(3, '0')}`,
            routeId: route.routeId,
            routeIndex: r,
            serviceId,
            directionId,
            tripHeadsign: lastStop.stopName,
            blockId: '',
            vehicleId: '',
            patternIndex: p,
            startSeconds: t,
          });
          patternTrips[p].push(index);
          routeTrips.push(index);
          t += Math.round(headway * 60);
        }
      }
      fleetBase = assignVehicles(trips, routeTrips, patterns, serviceId, fleetBase);
    });
    timetables.set(serviceId, {
      serviceId,
      patternTrips: patternTrips.map((list) => Int32Array.from(list)),
      patternStarts: patternTrips.map((list) =>
        Float64Array.from(list, (i) => trips[i].startSeconds),
      ),
    });
  }

  const visitBase = new Int32Array(trips.length);
  let totalVisits = 0;
  trips.forEach((trip, i) => {
    visitBase[i] = totalVisits;
    totalVisits += patterns[trip.patternIndex].stopIndices.length;
  });
  return { patterns, trips, timetables, visitBase, totalVisits };
}

/**
 * Interlines a route's trips on a small fleet (round-robin in departure order); the vehicle
 * numbers only need to look like a fleet, not to form a feasible duty schedule.
 */
function assignVehicles(
  trips: TripRecord[],
  routeTrips: number[],
  patterns: StopPattern[],
  serviceId: string,
  fleetBase: number,
): number {
  if (routeTrips.length === 0) return fleetBase;
  const ordered = [...routeTrips].sort(
    (a, b) => trips[a].startSeconds - trips[b].startSeconds || a - b,
  );
  const runTime = Math.max(
    ...routeTrips.map((i) => last(patterns[trips[i].patternIndex].offsetsSeconds)),
  );
  let minGap = Infinity;
  for (let k = 1; k < ordered.length; k++) {
    const gap = trips[ordered[k]].startSeconds - trips[ordered[k - 1]].startSeconds;
    if (gap > 0) minGap = Math.min(minGap, gap);
  }
  const fleet = Math.max(
    1,
    Math.ceil((2 * runTime + 1200) / (Number.isFinite(minGap) ? minGap * 2 : 3600)),
  );
  ordered.forEach((i, k) => {
    const vehicle = String(fleetBase + (k % fleet));
    trips[i].vehicleId = vehicle;
    trips[i].blockId = `${serviceId}-${vehicle}`;
  });
  return fleetBase + fleet;
}

function last(values: readonly number[]): number {
  return values[values.length - 1];
}

/** Trip count per route over the given service, a proxy for frequency in route choice. */
export function tripsPerRoute(schedule: Schedule, serviceId: string, routeCount: number): number[] {
  const counts = new Array<number>(routeCount).fill(0);
  for (const trip of schedule.trips) if (trip.serviceId === serviceId) counts[trip.routeIndex]++;
  return counts;
}
