import { type StopPattern, type TripRecord } from './city-records.js';
import { type PathLeg } from './itineraries.js';
import { type NetworkLayout } from './network-layout.js';
import { type Prng } from './prng.js';
import { type ServiceTimetable } from './schedule.js';

/** A leg placed on a concrete trip, with actual (delayed) times. */
export interface TimedLeg {
  tripIndex: number;
  route: number;
  boardPosition: number;
  alightPosition: number;
  boardStop: number;
  alightStop: number;
  boardSeconds: number;
  alightSeconds: number;
}

export interface TimingContext {
  layout: NetworkLayout;
  patterns: readonly StopPattern[];
  trips: readonly TripRecord[];
  timetable: ServiceTimetable;
  /** Actual minus scheduled seconds for each trip on this day. */
  delays: Float64Array;
  minTransferSeconds: number;
  /** Mean headway per route: a transfer waits half of it on average. */
  meanHeadwaySeconds: readonly number[];
}

/** The latest a trip can run early; searches for "first trip after t" start this far back. */
const MAX_EARLY_SECONDS = 120;
const WALK_METRES_PER_SECOND = 1.2;

function patternOf(ctx: TimingContext, leg: PathLeg): { p: number; board: number; alight: number } {
  const n = ctx.layout.routeStops[leg.route].length;
  const forward = leg.to > leg.from;
  return {
    p: leg.route * 2 + (forward ? 0 : 1),
    board: forward ? leg.from : n - 1 - leg.from,
    alight: forward ? leg.to : n - 1 - leg.to,
  };
}

function lowerBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Places a journey's legs on trips. The first leg takes a trip around the time that centres
 * the journey's boardings on `middle` (so boardings keep the target hourly profile),
 * but not before `earliest`; later legs take the first trip that leaves
 * after the previous arrival plus the connection and walking time. Legs that cannot be served
 * (the service day has ended) are dropped with everything after them. `drift` says how far
 * the first boarding is from the wanted time (large at night, when the route does not run).
 */
export function timeJourney(
  ctx: TimingContext,
  path: readonly PathLeg[],
  middle: number,
  earliest: number,
  rng: Prng,
): { legs: TimedLeg[]; drift: number } {
  // Expected boarding times relative to the first boarding; the first boarding is placed so
  // their mean falls on `middle`, which keeps boardings (not journeys) on the hourly profile.
  let elapsed = 0;
  let boardOffsetSum = 0;
  path.forEach((leg, k) => {
    const { p, board, alight } = patternOf(ctx, leg);
    const offsets = ctx.patterns[p].offsetsSeconds;
    if (k > 0) elapsed += ctx.minTransferSeconds + ctx.meanHeadwaySeconds[leg.route] / 2;
    boardOffsetSum += elapsed;
    elapsed += offsets[alight] - offsets[board];
  });
  const timed: TimedLeg[] = [];
  const target = middle - boardOffsetSum / Math.max(path.length, 1);
  let ready = earliest;
  for (let k = 0; k < path.length; k++) {
    const leg = path[k];
    const { p, board, alight } = patternOf(ctx, leg);
    const pattern = ctx.patterns[p];
    const trip =
      k === 0
        ? tripAround(ctx, rng, p, pattern.offsetsSeconds[board], target, ready)
        : firstTripAfter(ctx, p, pattern.offsetsSeconds[board], ready);
    if (trip < 0) break;
    const delay = ctx.delays[trip];
    const start = ctx.trips[trip].startSeconds + delay;
    const boardSeconds = start + pattern.offsetsSeconds[board];
    const alightSeconds = start + pattern.offsetsSeconds[alight];
    timed.push({
      tripIndex: trip,
      route: leg.route,
      boardPosition: board,
      alightPosition: alight,
      boardStop: pattern.stopIndices[board],
      alightStop: pattern.stopIndices[alight],
      boardSeconds,
      alightSeconds,
    });
    const next = path[k + 1];
    if (next) {
      const here = ctx.layout.stops[pattern.stopIndices[alight]];
      const nextStop = ctx.layout.stops[ctx.layout.routeStops[next.route][next.from]];
      const walk = Math.hypot(here.x - nextStop.x, here.y - nextStop.y) / WALK_METRES_PER_SECOND;
      ready = alightSeconds + ctx.minTransferSeconds + walk;
    }
  }
  // How far the first boarding moved from the wanted time, unless `earliest` forced it later.
  const drift = timed.length > 0 && target >= earliest ? timed[0].boardSeconds - target : 0;
  return { legs: timed, drift };
}

/**
 * The trip just before or just after `target` at this stop, chosen with probability linear in
 * closeness, so the expected departure equals the target whatever the headways around it
 * (always taking the nearest would push demand towards the trip before a longer gap, which
 * distorts the hourly profile at every headway-band change).
 */
function tripAround(
  ctx: TimingContext,
  rng: Prng,
  p: number,
  offset: number,
  target: number,
  earliest: number,
): number {
  const starts = ctx.timetable.patternStarts[p];
  const trips = ctx.timetable.patternTrips[p];
  if (starts.length === 0) return -1;
  const k = lowerBound(starts, target - offset);
  let chosen: number;
  if (k === 0) chosen = 0;
  else if (k === starts.length) chosen = k - 1;
  else {
    const before = starts[k - 1] + offset;
    const after = starts[k] + offset;
    chosen = rng.nextFloat() * (after - before) < after - target ? k - 1 : k;
  }
  const trip = trips[chosen];
  if (starts[chosen] + offset + ctx.delays[trip] >= earliest) return trip;
  return firstTripAfter(ctx, p, offset, earliest);
}

function firstTripAfter(ctx: TimingContext, p: number, offset: number, earliest: number): number {
  const starts = ctx.timetable.patternStarts[p];
  const trips = ctx.timetable.patternTrips[p];
  for (let c = lowerBound(starts, earliest - offset - MAX_EARLY_SECONDS); c < starts.length; c++) {
    if (starts[c] + offset + ctx.delays[trips[c]] >= earliest) return trips[c];
  }
  return -1;
}
