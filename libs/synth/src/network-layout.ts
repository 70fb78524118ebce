import { type RouteKind, type RouteRecord, type StopRecord } from './city-records.js';
import { type CityParams, type NetworkParams } from './params.js';
import { compassName, intersectionName, RAIL_LINE_COLOURS, stationName } from './place-names.js';
import { type Prng } from './prng.js';
import { substream } from './substream.js';
import { type ZoneModel } from './zones.js';

type Point = [number, number];

/** Routes with the stops they serve (direction 0 order) and the stops themselves. */
export interface NetworkLayout {
  routes: RouteRecord[];
  stops: StopRecord[];
  routeStops: number[][];
}

interface PlannedRoute {
  kind: RouteKind;
  polyline: Point[];
  spacing: number;
  name: string;
}

/**
 * Lays out the network: radial routes into the CBD, crosstown chords, limited-stop expresses,
 * diametric BRT, and rail lines. Bus stops snap to a lattice, so routes that cross or converge
 * share intersection stops; those shared stops (most of all downtown) are the transfer hubs.
 */
export function layoutNetwork(seed: string, params: CityParams, zones: ZoneModel): NetworkLayout {
  const net = params.network;
  const R = zones.cityRadius;
  const cbd = params.zones.cbdRadiusMeters;
  const planned: PlannedRoute[] = [];
  const rng = substream(seed, 'T', 'network', 'layout');

  for (let i = 0; i < net.radialRoutes; i++) {
    const angle = (2 * Math.PI * (i + rng.nextUniform(-0.3, 0.3))) / Math.max(net.radialRoutes, 1);
    const outer = polar(rng.nextUniform(0.75, 1.0) * R, angle);
    planned.push({
      kind: 'radial',
      polyline: bentLine(rng, outer, randomInDisk(rng, cbd * 0.6), 0.04 * R),
      spacing: net.busStopSpacingMeters,
      name: `${compassName(angle)} – Downtown`,
    });
  }
  for (let i = 0; i < net.crosstownRoutes; i++) {
    const phi = rng.nextUniform(0, 2 * Math.PI);
    const d = rng.nextUniform(0.2, 0.65) * R;
    const half = Math.sqrt(Math.max((0.95 * R) ** 2 - d * d, (0.2 * R) ** 2));
    const c: Point = polar(d, phi);
    const dir: Point = [-Math.sin(phi), Math.cos(phi)];
    planned.push({
      kind: 'crosstown',
      polyline: [
        [c[0] - half * dir[0], c[1] - half * dir[1]],
        [c[0] + half * dir[0], c[1] + half * dir[1]],
      ],
      spacing: net.busStopSpacingMeters,
      name: `${compassName(phi)} Crosstown`,
    });
  }
  for (let i = 0; i < net.expressRoutes; i++) {
    const angle = rng.nextUniform(0, 2 * Math.PI);
    planned.push({
      kind: 'express',
      polyline: [polar(rng.nextUniform(0.85, 1.0) * R, angle), randomInDisk(rng, cbd * 0.5)],
      spacing: net.expressStopSpacingMeters,
      name: `${compassName(angle)} Express`,
    });
  }
  for (let i = 0; i < net.brtRoutes; i++) {
    const angle = (Math.PI * (i + rng.nextUniform(0.1, 0.9))) / Math.max(net.brtRoutes, 1);
    planned.push({
      kind: 'brt',
      polyline: [
        polar(0.95 * R, angle),
        randomInDisk(rng, cbd * 0.3),
        polar(0.95 * R, angle + Math.PI),
      ],
      spacing: net.brtStopSpacingMeters,
      name: `${compassName(angle)} – ${compassName(angle + Math.PI)} Rapid`,
    });
  }

  const stops: StopRecord[] = [];
  const lattice = new Map<string, number>();
  const origin = { lat: params.agency.lat, lon: params.agency.lon };
  const routeStops: number[][] = [];
  const routes: RouteRecord[] = [];
  const frequentFlags = chooseFrequent(rng, planned, net);

  planned.forEach((route, k) => {
    const seq: number[] = [];
    for (const [x, y] of samplePolyline(route.polyline, route.spacing)) {
      const ix = Math.round(x / net.stopLatticeMeters);
      const iy = Math.round(y / net.stopLatticeMeters);
      const key = `${ix},${iy}`;
      let stop = lattice.get(key);
      if (stop === undefined) {
        stop = stops.length;
        lattice.set(key, stop);
        const sx = ix * net.stopLatticeMeters;
        const sy = iy * net.stopLatticeMeters;
        stops.push(makeStop(stop, intersectionName(ix, iy), sx, sy, false, 0, origin));
      }
      if (!seq.includes(stop)) seq.push(stop);
    }
    if (seq.length < 2) return;
    routeStops.push(seq);
    routes.push({
      routeId: routeIdFor(route.kind, k, planned),
      agencyId: params.agency.id,
      routeShortName: routeIdFor(route.kind, k, planned),
      routeLongName: route.name,
      routeType: 3,
      kind: route.kind,
      frequent: route.kind === 'brt' || frequentFlags[k],
      owl: false,
      tapOff: false,
    });
  });

  // Rail: separate platform stops, spaced evenly along a diameter through the CBD.
  net.railLines.forEach((line, li) => {
    const angle = rng.nextUniform(0, Math.PI);
    const length = (line.stations - 1) * line.spacingMeters;
    const seq: number[] = [];
    for (let s = 0; s < line.stations; s++) {
      const along = -length / 2 + s * line.spacingMeters;
      const [x, y] = polar(along, angle);
      const stop = stops.length;
      const fareZone = Math.floor(s / Math.max(line.stationsPerFareZone, 1)) + 1;
      stops.push(makeStop(stop, stationName(li, s), x, y, true, fareZone, origin, li, s));
      seq.push(stop);
    }
    const colour = RAIL_LINE_COLOURS[li % RAIL_LINE_COLOURS.length];
    const cycle = Math.floor(li / RAIL_LINE_COLOURS.length);
    const routeId = (cycle > 0 ? `${colour}${cycle + 1}` : colour).toUpperCase();
    routeStops.push(seq);
    routes.push({
      routeId,
      agencyId: params.agency.id,
      routeShortName: routeId,
      routeLongName: `${colour} Line`,
      routeType: line.tapOff ? 0 : 1,
      kind: 'rail',
      frequent: true,
      owl: false,
      tapOff: line.tapOff,
    });
  });

  // Owl service: the first frequent bus routes (BRT first) keep running all night.
  const owlOrder = routes
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.frequent && r.kind !== 'rail')
    .sort((a, b) => Number(b.r.kind === 'brt') - Number(a.r.kind === 'brt') || a.i - b.i);
  owlOrder.slice(0, net.owlRoutes).forEach(({ r }) => (r.owl = true));

  markHubNames(stops, routeStops, net);
  return { routes, stops, routeStops };
}

function routeIdFor(kind: RouteKind, k: number, planned: PlannedRoute[]): string {
  const ordinal = planned.slice(0, k).filter((r) => r.kind === kind).length + 1;
  const before = planned.slice(0, k).filter((r) => r.kind === 'radial' || r.kind === 'crosstown');
  switch (kind) {
    case 'radial':
    case 'crosstown':
      return String(before.length + 1);
    case 'express':
      return String(100 + ordinal);
    case 'brt':
      return String(800 + ordinal);
    case 'rail':
      return `RAIL${ordinal}`;
  }
}

function chooseFrequent(rng: Prng, planned: PlannedRoute[], net: NetworkParams): boolean[] {
  const flags = planned.map(() => false);
  const candidates = planned
    .map((r, i) => ({ r, i, key: rng.nextFloat() }))
    .filter(({ r }) => r.kind === 'radial' || r.kind === 'crosstown')
    .sort((a, b) => a.key - b.key);
  const count = Math.round(candidates.length * net.frequentShare);
  candidates.slice(0, count).forEach(({ i }) => (flags[i] = true));
  return flags;
}

/** Stops where at least `hubMinRoutes + 1` routes meet are named as transit centres. */
function markHubNames(stops: StopRecord[], routeStops: number[][], net: NetworkParams): void {
  const counts = new Array<number>(stops.length).fill(0);
  for (const seq of routeStops) for (const s of seq) counts[s]++;
  stops.forEach((stop, i) => {
    if (!stop.isStation && counts[i] > net.hubMinRoutes) {
      stop.stopName = `${stop.stopName}, Transit Center`;
    }
  });
}

function makeStop(
  index: number,
  name: string,
  x: number,
  y: number,
  isStation: boolean,
  fareZone: number,
  origin: { lat: number; lon: number },
  line = 0,
  station = 0,
): StopRecord {
  const lat = origin.lat + y / 111_320;
  const lon = origin.lon + x / (111_320 * Math.cos((origin.lat * Math.PI) / 180));
  return {
    stopId: isStation
      ? `ST${String(line + 1).padStart(2, '0')}${String(station + 1).padStart(2, '0')}`
      : `S${String(index + 1).padStart(5, '0')}`,
    stopCode: String(10000 + index),
    stopName: name,
    stopLat: Math.round(lat * 1e6) / 1e6,
    stopLon: Math.round(lon * 1e6) / 1e6,
    x: Math.round(x),
    y: Math.round(y),
    isStation,
    fareZone,
  };
}

function polar(r: number, angle: number): Point {
  return [r * Math.cos(angle), r * Math.sin(angle)];
}

function randomInDisk(rng: Prng, radius: number): Point {
  const r = radius * Math.sqrt(rng.nextFloat());
  return polar(r, rng.nextUniform(0, 2 * Math.PI));
}

/** A two-segment line from a to b with its midpoint pushed sideways (streets are not straight). */
function bentLine(rng: Prng, a: Point, b: Point, maxBend: number): Point[] {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy) || 1;
  const bend = rng.nextUniform(-maxBend, maxBend);
  const mid: Point = [(a[0] + b[0]) / 2 - (dy / len) * bend, (a[1] + b[1]) / 2 + (dx / len) * bend];
  return [a, mid, b];
}

/** Points every `spacing` metres along a polyline, including both ends. */
function samplePolyline(polyline: Point[], spacing: number): Point[] {
  const out: Point[] = [polyline[0]];
  let carried = 0;
  for (let i = 1; i < polyline.length; i++) {
    const [x0, y0] = polyline[i - 1];
    const [x1, y1] = polyline[i];
    const len = Math.hypot(x1 - x0, y1 - y0);
    let t = spacing - carried;
    while (t <= len) {
      out.push([x0 + ((x1 - x0) * t) / len, y0 + ((y1 - y0) * t) / len]);
      t += spacing;
    }
    carried = len - (t - spacing);
  }
  out.push(polyline[polyline.length - 1]);
  return out;
}
