import { type NetworkLayout } from './network-layout.js';
import { type NetworkParams } from './params.js';
import { WeightedTable } from './sampling.js';
import { substream } from './substream.js';
import { type ZoneModel } from './zones.js';

/** A route boardable at (or a short walk from) a stop. */
export interface BoardingOption {
  route: number;
  /** Position of the boarding stop in the route's direction-0 stop list. */
  position: number;
  stop: number;
  walkMeters: number;
}

/** What riders need to know about the network to choose stops and paths. */
export interface NetworkModel {
  /** Nearest zone centroid of each stop (the stop_zone crosswalk). */
  stopZone: Int32Array;
  /** Routes serving each stop, at which position. */
  routesAtStop: BoardingOption[][];
  /** Routes reachable from each stop for a transfer: same stop, or a walk to/from a station. */
  transferOptions: BoardingOption[][];
  /** Boarding attractiveness: lognormal heavy tail. */
  attractiveness: Float64Array;
  /** Attractiveness as a transfer point: boosted at hubs and stations. */
  hubPull: Float64Array;
  /** Destination pull: attractiveness x (jobs + residents/2) per stop of the zone. */
  destinationWeight: Float64Array;
  /** Where each zone's riders board: its own stops and those within walking distance of its
   * centroid, else the three nearest. */
  zoneOriginTables: WeightedTable[];
  zoneOriginStops: number[][];
}

export function buildNetworkModel(
  seed: string,
  net: NetworkParams,
  layout: NetworkLayout,
  zones: ZoneModel,
): NetworkModel {
  const { stops, routeStops } = layout;
  const zoneRecords = zones.records;

  const stopZone = new Int32Array(stops.length);
  stops.forEach((s, i) => {
    let best = 0;
    let bestD = Infinity;
    zoneRecords.forEach((z, k) => {
      const d = (z.x - s.x) ** 2 + (z.y - s.y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    });
    stopZone[i] = best;
  });

  const routesAtStop: BoardingOption[][] = stops.map(() => []);
  routeStops.forEach((seq, r) =>
    seq.forEach((stop, position) =>
      routesAtStop[stop].push({ route: r, position, stop, walkMeters: 0 }),
    ),
  );

  // Walk links between stations and nearby bus stops (a spatial hash keeps this linear).
  const cell = Math.max(net.walkTransferMeters, 1);
  const buckets = new Map<string, number[]>();
  stops.forEach((s, i) => {
    if (s.isStation) return;
    const key = `${Math.floor(s.x / cell)},${Math.floor(s.y / cell)}`;
    const list = buckets.get(key);
    if (list) list.push(i);
    else buckets.set(key, [i]);
  });
  const transferOptions: BoardingOption[][] = routesAtStop.map((opts) => [...opts]);
  stops.forEach((station, i) => {
    if (!station.isStation) return;
    const cx = Math.floor(station.x / cell);
    const cy = Math.floor(station.y / cell);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const b of buckets.get(`${cx + dx},${cy + dy}`) ?? []) {
          const walk = Math.hypot(stops[b].x - station.x, stops[b].y - station.y);
          if (walk > net.walkTransferMeters) continue;
          for (const o of routesAtStop[b]) transferOptions[i].push({ ...o, walkMeters: walk });
          for (const o of routesAtStop[i]) transferOptions[b].push({ ...o, walkMeters: walk });
        }
      }
    }
  });

  // Heavy tail on every stop; hubs (many routes, or a station) get an extra pull as transfer
  // points, where most of their extra boardings come from.
  const attractiveness = new Float64Array(stops.length);
  const hubPull = new Float64Array(stops.length);
  stops.forEach((s, i) => {
    const rng = substream(seed, 'world', 'stop', s.stopId);
    attractiveness[i] =
      rng.logNormal(0, net.stopAttractivenessSigma) * (s.isStation ? net.stationAttractiveness : 1);
    const hub = s.isStation || routesAtStop[i].length >= net.hubMinRoutes;
    hubPull[i] = attractiveness[i] * (hub ? rng.nextUniform(net.hubBoostMin, net.hubBoostMax) : 1);
  });

  const stopsInZone: number[][] = zoneRecords.map(() => []);
  stopZone.forEach((z, i) => stopsInZone[z].push(i));
  const destinationWeight = new Float64Array(stops.length);
  stops.forEach((_, i) => {
    const z = zoneRecords[stopZone[i]];
    destinationWeight[i] =
      (attractiveness[i] * (z.jobs + 0.5 * z.population)) / stopsInZone[stopZone[i]].length;
  });

  // Riders board at their zone's stops or any stop within walking distance of its centroid.
  const stopBuckets = new Map<string, number[]>();
  const walkCell = Math.max(net.walkAccessMeters, 1);
  stops.forEach((s, i) => {
    const key = `${Math.floor(s.x / walkCell)},${Math.floor(s.y / walkCell)}`;
    const list = stopBuckets.get(key);
    if (list) list.push(i);
    else stopBuckets.set(key, [i]);
  });
  const zoneOriginStops = zoneRecords.map((z, k) => {
    const near = new Set(stopsInZone[k]);
    const cx = Math.floor(z.x / walkCell);
    const cy = Math.floor(z.y / walkCell);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const i of stopBuckets.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (Math.hypot(stops[i].x - z.x, stops[i].y - z.y) <= net.walkAccessMeters) near.add(i);
        }
      }
    }
    if (near.size > 0) return [...near].sort((a, b) => a - b);
    return stops
      .map((s, i) => ({ i, d: (s.x - z.x) ** 2 + (s.y - z.y) ** 2 }))
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .slice(0, 3)
      .map((e) => e.i);
  });
  const zoneOriginTables = zoneOriginStops.map(
    (list) => new WeightedTable(list.map((i) => attractiveness[i])),
  );

  return {
    stopZone,
    routesAtStop,
    transferOptions,
    attractiveness,
    hubPull,
    destinationWeight,
    zoneOriginTables,
    zoneOriginStops,
  };
}
