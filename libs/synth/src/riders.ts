import { type RiderKind } from './city-records.js';
import {
  type FareMediaId,
  type FareProductId,
  type RiderCategory,
  singleProductOf,
} from './fare-catalogue.js';
import { type PathContext, type PathLeg, sampleLegCount, samplePath } from './itineraries.js';
import { type DemandParams } from './params.js';
import { type Prng } from './prng.js';
import { clamp, pickWeighted } from './sampling.js';
import { SubstreamFamily } from './substream.js';
import { type ZoneModel } from './zones.js';

/** A rider: a cash rider or a card token. Regenerated on demand from its own substream. */
export interface Rider {
  index: number;
  kind: RiderKind;
  homeZone: number;
  cash: boolean;
  /** 16 hex digits; '' for cash riders. */
  tokenId: string;
  category: RiderCategory;
  product: FareProductId;
  media: FareMediaId;
  /** Stored value on agency cards, cents; null otherwise. */
  initialBalanceCents: number | null;
  incomeBand: string;
  originStop: number;
  /** Commuters ride the same path every working day. */
  commute: PathLeg[] | null;
}

/** How many riders live in each zone and how demographics tilt their fares. */
export interface RiderPopulation {
  count: number;
  /** zoneStart[z] .. zoneStart[z + 1] - 1 are zone z's riders. */
  zoneStart: Int32Array;
  /** Zone low-income share over the rider-weighted mean (1 everywhere without disparity). */
  equityRatio: Float64Array;
}

export const RIDER_KINDS: readonly RiderKind[] = ['commuter', 'regular', 'occasional'];
export const INCOME_BANDS: readonly string[] = ['under_100_fpl', '100_149_fpl', '150_199_fpl'];

/**
 * Riders per zone proportional to pop x (0.5 + zero-car share + 0.5 x low-income share)
 * (libs/synth/README.md, 'Model'), `count` in total, allocated by cumulative rounding.
 */
export function allocateRiders(
  zones: ZoneModel,
  demand: DemandParams,
  count: number,
): RiderPopulation {
  const n = zones.records.length;
  const weights = zones.records.map(
    (z, i) => z.population * (0.5 + zones.zeroVehicleShare[i] + 0.5 * zones.lowIncomeShare[i]),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  const zoneStart = new Int32Array(n + 1);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    zoneStart[i] = Math.round((count * acc) / total);
    acc += weights[i];
  }
  zoneStart[n] = count;
  const meanLow = weights.reduce((s, w, i) => s + w * zones.lowIncomeShare[i], 0) / total;
  const equityRatio = Float64Array.from(zones.lowIncomeShare, (s) =>
    demand.equityDisparity && meanLow > 0 ? s / meanLow : 1,
  );
  return { count, zoneStart, equityRatio };
}

function zoneOfRider(pop: RiderPopulation, index: number): number {
  let lo = 0;
  let hi = pop.zoneStart.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (pop.zoneStart[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The rider substreams of the last seed asked for (a run draws millions, all of one seed). */
let riderFamily: { readonly seed: string; readonly streams: SubstreamFamily } | undefined;

function riderStreams(seed: string): SubstreamFamily {
  if (riderFamily?.seed !== seed)
    riderFamily = { seed, streams: new SubstreamFamily(seed, 'P', 'rider') };
  return riderFamily.streams;
}

/** Rider `index`, drawn only from substream (seed, P, rider, index). */
export function riderAt(
  seed: string,
  demand: DemandParams,
  pop: RiderPopulation,
  paths: PathContext,
  index: number,
): Rider {
  const rng = riderStreams(seed).at(index);
  const homeZone = zoneOfRider(pop, index);
  const types = demand.riderTypes;
  const kind =
    RIDER_KINDS[
      pickWeighted(rng, [types.commuter.share, types.regular.share, types.occasional.share])
    ];
  const rho = pop.equityRatio[homeZone];
  const cash = rng.chance(clamp(demand.cashShare * (0.5 + 0.5 * rho), 0, 0.5));
  const { category, product } = chooseFare(rng, demand, rho);
  const media = chooseMedia(rng, demand, category, product, cash);
  const tokenId = cash ? '' : rng.nextHex64();
  const initialBalanceCents = media === 'agency_card' ? rng.nextIntBetween(5, 40) * 100 : null;
  const incomeBand = INCOME_BANDS[pickWeighted(rng, [0.45, 0.3, 0.25])];
  const origins = paths.network.zoneOriginStops[homeZone];
  const originStop = origins[Math.max(0, paths.network.zoneOriginTables[homeZone].pick(rng))];
  const commute =
    kind === 'commuter'
      ? samplePath(paths, rng, originStop, sampleLegCount(rng, demand.legsPerJourney))
      : null;
  return {
    index,
    kind,
    homeZone,
    cash,
    tokenId,
    category: cash ? 'adult' : category,
    product: cash ? 'adult_single' : product,
    media,
    initialBalanceCents: cash ? null : initialBalanceCents,
    incomeBand,
    originStop,
    commute,
  };
}

function chooseFare(
  rng: Prng,
  demand: DemandParams,
  rho: number,
): { category: RiderCategory; product: FareProductId } {
  const mix = demand.categoryMix;
  const low = clamp(mix.lowIncome * rho, 0, 0.5);
  const reduced = clamp(mix.reduced * (0.5 + 0.5 * rho), 0, 0.4);
  const pass = mix.adultPass * clamp(1.5 - 0.5 * rho, 0.2, 2);
  const adult = Math.max(0, 1 - low - reduced - mix.youth - pass);
  const k = pickWeighted(rng, [adult, pass, reduced, mix.youth, low]);
  switch (k) {
    case 1: {
      const m = demand.passMix;
      const which = pickWeighted(rng, [m.day, m.sevenDay, m.thirtyDay]);
      const product = (['adult_day_pass', 'adult_7_day_pass', 'adult_30_day_pass'] as const)[which];
      return { category: 'adult', product };
    }
    case 2:
      return {
        category: 'reduced',
        product: rng.chance(0.3) ? 'reduced_30_day_pass' : singleProductOf('reduced'),
      };
    case 3:
      return { category: 'youth', product: 'youth_single' };
    case 4:
      return { category: 'low_income', product: 'low_income_single' };
    default:
      return { category: 'adult', product: 'adult_single' };
  }
}

function chooseMedia(
  rng: Prng,
  demand: DemandParams,
  category: RiderCategory,
  product: FareProductId,
  cash: boolean,
): FareMediaId {
  if (cash) return 'cash';
  if (category !== 'adult' || product !== 'adult_single') {
    return rng.chance(0.8) ? 'agency_card' : 'mobile';
  }
  const m = demand.mediaMix;
  const media: FareMediaId[] = ['agency_card', 'cemv', 'mobile', 'limited_use_paper'];
  return media[pickWeighted(rng, [m.agencyCard, m.cemv, m.mobile, m.paper])];
}
