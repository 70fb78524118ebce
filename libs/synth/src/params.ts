import { SynthError } from './synth-error.js';

/** The three documented scales (libs/synth/README.md, 'Scales'). */
export type ScaleName = 'small' | 'medium' | 'large';

export const SCALE_NAMES: readonly ScaleName[] = ['small', 'medium', 'large'];

export interface ZoneParams {
  /** Number of census tracts. */
  count: number;
  /** Spacing of the jittered grid before the density warp, metres. */
  spacingMeters: number;
  /** r0 of the zone density exp(-r/r0), metres; 0 keeps the grid uniform. */
  densityDecayMeters: number;
  populationMean: number;
  populationSd: number;
  populationMin: number;
  populationMax: number;
  /** Median household income: ln(inc) ~ N(ln median + sector + radial, logSd). */
  incomeMedian: number;
  incomeSectorEffect: number;
  incomeRadialEffect: number;
  incomeLogSd: number;
  /** ACS-like bottom and top coding. */
  incomeMin: number;
  incomeMax: number;
  /** Population-weighted citywide minority share the intercept is solved for. */
  minorityShare: number;
  minorityNoiseSd: number;
  /** LODES C000 jobs per resident, the CBD's share and radius, and Zipf sub-centres. */
  jobsPerResident: number;
  cbdJobShare: number;
  cbdRadiusMeters: number;
  subCentres: number;
  /** Rank-size exponent of the non-CBD jobs (1 = classic Zipf). */
  jobsZipfExponent: number;
  /** First five GEOID digits (state + county FIPS); 99 is not an assigned state code. */
  stateCountyFips: string;
}

export interface RailLineParams {
  stations: number;
  spacingMeters: number;
  /** Stations per fare zone; the fare grows per zone crossed (charged at tap-off). */
  stationsPerFareZone: number;
  /** Tap-on/tap-off (light rail, Caltrain-like) or tap-on only (subway). */
  tapOff: boolean;
}

/** Minutes between departures per time band; 0 means no service in that band. */
export interface HeadwayBands {
  peak: number;
  base: number;
  evening: number;
  night: number;
}

export interface NetworkParams {
  /** Stops snap to a square lattice of this pitch, so crossing routes share intersection stops. */
  stopLatticeMeters: number;
  radialRoutes: number;
  crosstownRoutes: number;
  expressRoutes: number;
  brtRoutes: number;
  railLines: RailLineParams[];
  /** Share of radial and crosstown routes with frequent headways. */
  frequentShare: number;
  busStopSpacingMeters: number;
  expressStopSpacingMeters: number;
  brtStopSpacingMeters: number;
  headways: {
    frequent: HeadwayBands;
    local: HeadwayBands;
    express: HeadwayBands;
    brt: HeadwayBands;
    rail: HeadwayBands;
  };
  speedsKmh: { bus: number; express: number; brt: number; rail: number };
  /** Service-day seconds of the first and last terminal departures (GTFS times may pass 24:00). */
  firstDepartureSeconds: number;
  lastDepartureSeconds: number;
  /** How many frequent routes (and rail lines) keep running through the night. */
  owlRoutes: number;
  /** Bus stops within this walk of a rail station are transfer points to it. */
  walkTransferMeters: number;
  /** Riders also use stops within this distance of their zone's centroid. */
  walkAccessMeters: number;
  /** Stop attractiveness ~ lognormal(0, sigma); hubs (>= hubMinRoutes routes) get a boost. */
  stopAttractivenessSigma: number;
  /** Extra pull of rail stations as origins and destinations (park-and-ride, density). */
  stationAttractiveness: number;
  hubMinRoutes: number;
  hubBoostMin: number;
  hubBoostMax: number;
  /** Operating cost per revenue hour ~ N(mean, sd), dollars. */
  costPerRevenueHourMean: number;
  costPerRevenueHourSd: number;
}

export interface RiderTypeParams {
  /** Share of the token (and cash rider) population. */
  share: number;
  /** Probability of travelling on a weekday. */
  weekdayActivity: number;
  /** P(1), P(2), P(3) journeys on an active day. */
  journeys: [number, number, number];
}

export interface DemandParams {
  /** Target weekday boardings per resident. */
  boardingsPerCapita: number;
  /** Weekend activity relative to weekdays. */
  weekendActivityFactor: number;
  riderTypes: { commuter: RiderTypeParams; regular: RiderTypeParams; occasional: RiderTypeParams };
  /** P(1), P(2), P(3) boardings per journey: sets the transfer share (25–35 % target). */
  legsPerJourney: [number, number, number];
  /** Gravity decay of destination choice, metres. */
  gravityDecayMeters: number;
  /** Legs shorter than this are penalised (people walk). */
  minLegMeters: number;
  /** Minimum connection time between legs, seconds (plus walking at 1.2 m/s). */
  minTransferSeconds: number;
  /** Percent of boardings per hour 0..23. */
  weekdayProfile: number[];
  weekendProfile: number[];
  /** Share of riders paying cash (APC sees them, the processor does not). */
  cashShare: number;
  /** Shares of card riders by category; adult pay-as-you-go takes the remainder. */
  categoryMix: { adultPass: number; reduced: number; youth: number; lowIncome: number };
  /** Split of adult passes between day, 7-day and 30-day. */
  passMix: { day: number; sevenDay: number; thirtyDay: number };
  /** Media of adult pay-as-you-go taps. Concessions use agency card or mobile. */
  mediaMix: { agencyCard: number; cemv: number; mobile: number; paper: number };
  /**
   * When true the reduced, low-income and cash shares rise with the home zone's low-income
   * share (a real Title VI disparity); false removes the dependence ("no disparate impact").
   */
  equityDisparity: boolean;
}

export interface FareParams {
  baseCents: number;
  /** Reduced, youth and low-income fares as a fraction of base. */
  concessionFactor: number;
  /** Daily pay-as-you-go cap as a multiple of the rider's single fare. */
  dailyCapMultiple: number;
  transferWindowSeconds: number;
  /** Rail supplement per fare zone crossed, charged at tap-off. */
  railZoneSupplementCents: number;
  currency: string;
}

export interface NoiseParams {
  duplicateTapRate: number;
  deniedTapRate: number;
  missingTapOffRate: number;
  /** Late (offline-device) records are written after the day's sorted rows. */
  offlineRecordRate: number;
  /** Bus taps whose validator had no route keyed: route_id "0" (CTA-style). */
  misKeyedRouteRate: number;
  /** Share of trips carrying APC counters; 1 for tests. */
  apcCoverage: number;
  apcErrorSd: number;
  apcMissingTripRate: number;
  /** Equipped trips that only report loads (record_use = 1, empty counts). */
  apcLoadOnlyTripRate: number;
  tripDelayMeanSeconds: number;
  tripDelaySdSeconds: number;
}

/**
 * Who is on planning's reduced-fare (low-income) programme list and how it lines up with the
 * processor's cards (libs/synth/README.md, 'Reduced-fare enrolment'). Rates are rules of thumb
 * from fare-capped low-income programmes (ORCA LIFT, Clipper START, Lifeline passes), where the
 * city's list and the processor's concession flags are kept by different offices.
 */
export interface EnrolmentParams {
  /**
   * Share of low-income-fare cards that are on planning's list. The rest were enrolled through
   * the transit authority's own desk or a partner agency, or after the list's snapshot: their
   * reduced taps come from cards planning does not hold.
   */
  lowIncomeCardListed: number;
  /**
   * Chance that a card rider on another product (adult pay-as-you-go or pass, senior/disabled,
   * youth) is enrolled anyway, before the home zone's equity tilt: employer or school passes,
   * seniors who qualify twice, concessions not yet loaded on the card.
   */
  otherProductEnrolled: number;
  /**
   * P(0), P(1), P(2) extra tokens per enrolled rider: lost or replaced cards the list still
   * holds (programmes register card serials and seldom retire them). They never tap.
   */
  extraCards: [number, number, number];
}

export interface CityParams {
  /** Service date (YYYYMMDD) of `generateCity`; the streaming generator's default start. */
  serviceDate: string;
  agency: { id: string; name: string; url: string; timezone: string; lat: number; lon: number };
  zones: ZoneParams;
  network: NetworkParams;
  demand: DemandParams;
  enrolment: EnrolmentParams;
  fares: FareParams;
  noise: NoiseParams;
}

export const WEEKDAY_PROFILE = [
  0.4, 0.2, 0.1, 0.1, 0.3, 1.6, 4.2, 7.3, 7.3, 5.7, 5.2, 5.4, 5.7, 5.9, 6.8, 7.8, 8.1, 7.8, 6.0,
  4.4, 3.3, 2.7, 2.1, 1.4,
];
export const WEEKEND_PROFILE = [
  0.8, 0.5, 0.3, 0.2, 0.3, 0.8, 1.9, 3.1, 4.4, 5.5, 6.6, 7.3, 7.7, 7.8, 7.8, 7.6, 7.3, 6.8, 6.0,
  5.0, 4.1, 3.3, 2.7, 2.0,
];

const hours = (h: number, m = 0): number => h * 3600 + m * 60;

function midSizeDefaults(): CityParams {
  return {
    serviceDate: '20260310',
    agency: {
      id: 'CMT',
      name: 'Concord Metro Transit',
      url: 'https://transit.example.org',
      timezone: 'America/Chicago',
      lat: 39.5,
      lon: -98.35,
    },
    zones: {
      count: 250,
      spacingMeters: 1500,
      densityDecayMeters: 5000,
      populationMean: 4000,
      populationSd: 1200,
      populationMin: 1200,
      populationMax: 8000,
      incomeMedian: 70000,
      incomeSectorEffect: 0.25,
      incomeRadialEffect: 0.15,
      incomeLogSd: 0.45,
      incomeMin: 15000,
      incomeMax: 250001,
      minorityShare: 0.45,
      minorityNoiseSd: 0.7,
      jobsPerResident: 0.6,
      cbdJobShare: 0.3,
      cbdRadiusMeters: 1500,
      subCentres: 3,
      jobsZipfExponent: 1,
      stateCountyFips: '99001',
    },
    network: {
      stopLatticeMeters: 350,
      radialRoutes: 49,
      crosstownRoutes: 25,
      expressRoutes: 8,
      brtRoutes: 2,
      railLines: [{ stations: 20, spacingMeters: 1500, stationsPerFareZone: 5, tapOff: true }],
      frequentShare: 0.2,
      busStopSpacingMeters: 350,
      expressStopSpacingMeters: 1200,
      brtStopSpacingMeters: 700,
      headways: {
        frequent: { peak: 12, base: 15, evening: 20, night: 30 },
        local: { peak: 30, base: 40, evening: 60, night: 60 },
        express: { peak: 20, base: 40, evening: 60, night: 0 },
        brt: { peak: 8, base: 10, evening: 15, night: 30 },
        rail: { peak: 10, base: 15, evening: 20, night: 30 },
      },
      speedsKmh: { bus: 17, express: 24, brt: 22, rail: 32 },
      firstDepartureSeconds: hours(4, 30),
      lastDepartureSeconds: hours(24, 30),
      owlRoutes: 2,
      walkTransferMeters: 400,
      walkAccessMeters: 800,
      stopAttractivenessSigma: 0.9,
      stationAttractiveness: 4,
      hubMinRoutes: 3,
      hubBoostMin: 2,
      hubBoostMax: 5,
      costPerRevenueHourMean: 150,
      costPerRevenueHourSd: 20,
    },
    demand: {
      boardingsPerCapita: 0.15,
      weekendActivityFactor: 0.6,
      riderTypes: {
        commuter: { share: 0.3, weekdayActivity: 0.85, journeys: [0.35, 0.6, 0.05] },
        regular: { share: 0.25, weekdayActivity: 0.45, journeys: [0.5, 0.4, 0.1] },
        occasional: { share: 0.45, weekdayActivity: 0.15, journeys: [0.6, 0.35, 0.05] },
      },
      legsPerJourney: [0.63, 0.33, 0.04],
      gravityDecayMeters: 6000,
      minLegMeters: 800,
      minTransferSeconds: 120,
      weekdayProfile: [...WEEKDAY_PROFILE],
      weekendProfile: [...WEEKEND_PROFILE],
      cashShare: 0.12,
      categoryMix: { adultPass: 0.2, reduced: 0.1, youth: 0.07, lowIncome: 0.08 },
      passMix: { day: 0.2, sevenDay: 0.3, thirtyDay: 0.5 },
      mediaMix: { agencyCard: 0.55, cemv: 0.25, mobile: 0.12, paper: 0.08 },
      equityDisparity: true,
    },
    enrolment: {
      lowIncomeCardListed: 0.85,
      otherProductEnrolled: 0.015,
      extraCards: [0.85, 0.12, 0.03],
    },
    fares: {
      baseCents: 200,
      concessionFactor: 0.5,
      dailyCapMultiple: 2.5,
      transferWindowSeconds: 7200,
      railZoneSupplementCents: 50,
      currency: 'USD',
    },
    noise: {
      duplicateTapRate: 0.005,
      deniedTapRate: 0.015,
      missingTapOffRate: 0.05,
      offlineRecordRate: 0.005,
      misKeyedRouteRate: 0.005,
      apcCoverage: 0.3,
      apcErrorSd: 0.07,
      apcMissingTripRate: 0.03,
      apcLoadOnlyTripRate: 0.02,
      tripDelayMeanSeconds: 60,
      tripDelaySdSeconds: 60,
    },
  };
}

function smallDefaults(): CityParams {
  const p = midSizeDefaults();
  p.zones = {
    ...p.zones,
    count: 6,
    spacingMeters: 1000,
    densityDecayMeters: 0,
    populationMean: 2000,
    populationSd: 600,
    populationMin: 600,
    populationMax: 4000,
    cbdRadiusMeters: 600,
    subCentres: 1,
  };
  p.network = {
    ...p.network,
    radialRoutes: 1,
    crosstownRoutes: 1,
    expressRoutes: 0,
    brtRoutes: 0,
    railLines: [{ stations: 4, spacingMeters: 1000, stationsPerFareZone: 2, tapOff: true }],
    frequentShare: 0,
    headways: {
      ...p.network.headways,
      local: { peak: 45, base: 90, evening: 120, night: 0 },
      rail: { peak: 45, base: 90, evening: 120, night: 0 },
    },
    lastDepartureSeconds: hours(23, 30),
    owlRoutes: 0,
    stationAttractiveness: 1,
  };
  p.demand = { ...p.demand, boardingsPerCapita: 0.085 };
  p.noise = { ...p.noise, apcCoverage: 1, apcMissingTripRate: 0, apcLoadOnlyTripRate: 0 };
  return p;
}

function largeDefaults(): CityParams {
  const p = midSizeDefaults();
  p.agency = { ...p.agency, timezone: 'America/New_York', lat: 40.7, lon: -74 };
  p.zones = {
    ...p.zones,
    count: 2325,
    spacingMeters: 600,
    densityDecayMeters: 9000,
    populationMean: 3570,
    populationSd: 1100,
    populationMin: 1000,
    populationMax: 8000,
    minorityShare: 0.65,
    cbdRadiusMeters: 2500,
    subCentres: 4,
    stateCountyFips: '99002',
  };
  p.network = {
    ...p.network,
    radialRoutes: 200,
    crosstownRoutes: 120,
    expressRoutes: 25,
    brtRoutes: 0,
    railLines: Array.from({ length: 29 }, () => ({
      stations: 17,
      spacingMeters: 1100,
      stationsPerFareZone: 100,
      tapOff: false,
    })),
    frequentShare: 0.4,
    stopLatticeMeters: 250,
    busStopSpacingMeters: 250,
    costPerRevenueHourMean: 250,
    costPerRevenueHourSd: 30,
    owlRoutes: 3,
    speedsKmh: { bus: 13, express: 20, brt: 18, rail: 32 },
  };
  p.demand = {
    ...p.demand,
    boardingsPerCapita: 0.65,
    gravityDecayMeters: 8000,
    mediaMix: { agencyCard: 0.25, cemv: 0.62, mobile: 0.1, paper: 0.03 },
  };
  p.fares = { ...p.fares, baseCents: 290 };
  p.noise = { ...p.noise, apcCoverage: 0.3 };
  return p;
}

/** The documented defaults of one scale (a fresh object each call). */
export function defaultParams(scale: ScaleName): CityParams {
  switch (scale) {
    case 'small':
      return smallDefaults();
    case 'medium':
      return midSizeDefaults();
    case 'large':
      return largeDefaults();
    default:
      throw new SynthError('invalid-scale', `unknown scale ${String(scale)}`);
  }
}

/** Overrides: any subset of the parameter tree; arrays are replaced whole. */
export type ParamOverrides = DeepPartial<CityParams>;
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** The scale's defaults with `overrides` merged in, validated. */
export function resolveParams(scale: ScaleName, overrides: ParamOverrides = {}): CityParams {
  const merged = deepMerge(defaultParams(scale), overrides) as CityParams;
  validateParams(merged);
  return merged;
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (
    typeof base !== 'object' ||
    base === null ||
    Array.isArray(base) ||
    typeof over !== 'object' ||
    over === null ||
    Array.isArray(over)
  ) {
    return over;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    if (!(k in out)) throw new SynthError('invalid-params', `unknown parameter ${k}`);
    out[k] = deepMerge(out[k], v);
  }
  return out;
}

function validateParams(p: CityParams): void {
  const fail = (what: string): never => {
    throw new SynthError('invalid-params', what);
  };
  if (!/^\d{8}$/.test(p.serviceDate)) fail('serviceDate must be YYYYMMDD');
  if (!Number.isInteger(p.zones.count) || p.zones.count < 1) fail('zones.count must be >= 1');
  if (!/^\d{5}$/.test(p.zones.stateCountyFips)) fail('zones.stateCountyFips must be 5 digits');
  if (p.demand.weekdayProfile.length !== 24 || p.demand.weekendProfile.length !== 24) {
    fail('hourly profiles need 24 values');
  }
  const { radialRoutes, crosstownRoutes, expressRoutes, brtRoutes, railLines } = p.network;
  if (radialRoutes + crosstownRoutes + expressRoutes + brtRoutes + railLines.length < 1) {
    fail('the network needs at least one route');
  }
  for (const [name, v] of Object.entries(p.noise)) {
    if (name.endsWith('Rate') || name === 'apcCoverage') {
      if (typeof v !== 'number' || v < 0 || v > 1) fail(`noise.${name} must be in [0, 1]`);
    }
  }
  const { lowIncomeCardListed, otherProductEnrolled, extraCards } = p.enrolment;
  for (const [name, v] of Object.entries({ lowIncomeCardListed, otherProductEnrolled })) {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`enrolment.${name} must be in [0, 1]`);
  }
  if (
    extraCards.length !== 3 ||
    extraCards.some((w) => !(w >= 0)) ||
    !(extraCards.reduce((a, b) => a + b, 0) > 0)
  ) {
    fail('enrolment.extraCards needs three non-negative weights with a positive sum');
  }
  if (p.fares.baseCents <= 0 || !Number.isInteger(p.fares.baseCents)) {
    fail('fares.baseCents must be a positive integer');
  }
}
