import { type BoardingOption, type NetworkModel } from './network-model.js';
import { type NetworkLayout } from './network-layout.js';
import { type Prng } from './prng.js';
import { pickWeighted } from './sampling.js';

/** One ride: a route between two positions of its direction-0 stop list. */
export interface PathLeg {
  route: number;
  from: number;
  to: number;
}

/** Per-route lookup tables for path choice, precomputed once per city. */
interface RouteTables {
  n: number;
  /** distanceWeight between positions a and b at [a * n + b]. */
  gravity: Float64Array;
  /** Destination pull of each position's stop. */
  destination: Float64Array;
  /** Transfer pull of each position (0 where no other route is reachable). */
  transfer: Float64Array;
  /** Other routes reachable at each position. */
  transferOptions: BoardingOption[][];
}

export interface PathContext {
  layout: NetworkLayout;
  network: NetworkModel;
  /** Route choice weight (trips per route on the first service built). */
  routeWeights: readonly number[];
  /** Mean headway per route, seconds (expected transfer waits). */
  meanHeadwaySeconds: readonly number[];
  routes: RouteTables[];
}

export function buildPathContext(
  layout: NetworkLayout,
  network: NetworkModel,
  routeWeights: readonly number[],
  meanHeadwaySeconds: readonly number[],
  gravityDecayMeters: number,
  minLegMeters: number,
): PathContext {
  const routes = layout.routeStops.map((seq, r): RouteTables => {
    const n = seq.length;
    const gravity = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      const sa = layout.stops[seq[a]];
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        const sb = layout.stops[seq[b]];
        const d = Math.hypot(sa.x - sb.x, sa.y - sb.y);
        const near = d < minLegMeters ? (d / minLegMeters) ** 2 : 1;
        gravity[a * n + b] = near * Math.exp(-d / gravityDecayMeters);
      }
    }
    const transferOptions = seq.map((stop) =>
      network.transferOptions[stop].filter((o) => o.route !== r),
    );
    return {
      n,
      gravity,
      destination: Float64Array.from(seq, (stop) => network.destinationWeight[stop]),
      transfer: Float64Array.from(seq, (stop, q) =>
        transferOptions[q].length === 0
          ? 0
          : network.hubPull[stop] * Math.sqrt(distinctRoutes(transferOptions[q])),
      ),
      transferOptions,
    };
  });
  return { layout, network, routeWeights, meanHeadwaySeconds, routes };
}

function distinctRoutes(options: readonly BoardingOption[]): number {
  return new Set(options.map((o) => o.route)).size;
}

/** Number of legs of a journey: 1, 2 or 3 with the given probabilities. */
export function sampleLegCount(rng: Prng, legsPerJourney: readonly number[]): number {
  return pickWeighted(rng, legsPerJourney) + 1;
}

/**
 * A journey path, built forwards from the origin stop: board a route (by frequency); for a
 * multi-leg journey ride to a transfer point (hubs and nearer points preferred) and change to
 * another route; the last leg alights at a gravity-weighted destination
 * (pull x exp(-d / decay), legs under the minimum length penalised). Choosing the number of legs
 * first makes the transfer share a parameter rather than an accident of the geometry; when a
 * route offers no transfer the journey simply ends there (one leg fewer).
 */
export function samplePath(
  ctx: PathContext,
  rng: Prng,
  originStop: number,
  legs: number,
): PathLeg[] {
  const first = ctx.network.routesAtStop[originStop];
  if (first.length === 0) return [];
  const choice =
    first[
      pickWeighted(
        rng,
        first.map((o) => ctx.routeWeights[o.route] + 1),
      )
    ];
  let route = choice.route;
  let from = choice.position;
  const used = [route];
  const path: PathLeg[] = [];
  for (let k = 0; k < legs; k++) {
    if (k < legs - 1) {
      const transfer = chooseTransfer(ctx, rng, route, from, used);
      if (transfer) {
        path.push({ route, from, to: transfer.at });
        route = transfer.route;
        from = transfer.position;
        used.push(route);
        continue;
      }
    }
    const to = chooseDestination(ctx, rng, route, from);
    if (to >= 0) path.push({ route, from, to });
    break;
  }
  return path;
}

/** The same rides in the opposite order and direction (the trip home). */
export function reversePath(path: readonly PathLeg[]): PathLeg[] {
  return [...path].reverse().map((l) => ({ route: l.route, from: l.to, to: l.from }));
}

const scratch = { weights: new Float64Array(256) };

function weightsBuffer(n: number): Float64Array {
  if (scratch.weights.length < n) scratch.weights = new Float64Array(n * 2);
  return scratch.weights.subarray(0, n);
}

function chooseDestination(ctx: PathContext, rng: Prng, route: number, from: number): number {
  const t = ctx.routes[route];
  const w = weightsBuffer(t.n);
  const row = from * t.n;
  for (let q = 0; q < t.n; q++) w[q] = t.destination[q] * t.gravity[row + q];
  return pickWeighted(rng, w);
}

function chooseTransfer(
  ctx: PathContext,
  rng: Prng,
  route: number,
  from: number,
  used: readonly number[],
): { at: number; route: number; position: number } | null {
  const t = ctx.routes[route];
  const w = weightsBuffer(t.n);
  const row = from * t.n;
  for (let q = 0; q < t.n; q++) w[q] = t.transfer[q] * t.gravity[row + q];
  const at = pickWeighted(rng, w);
  if (at < 0) return null;
  const options = t.transferOptions[at].filter((o) => !used.includes(o.route));
  if (options.length === 0) return null;
  const next =
    options[
      pickWeighted(
        rng,
        options.map((o) => ctx.routeWeights[o.route] + 1),
      )
    ];
  return { at, route: next.route, position: next.position };
}
