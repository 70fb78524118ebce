import { apcRowsForTrip } from './apc.js';
import { type CityBase } from './city-base.js';
import { type BoardAlightRecord, type RiderKind, type TrueLeg } from './city-records.js';
import { type Prng } from './prng.js';
import { type TimeTables, buildTimeTables, sampleServiceSeconds } from './day-profile.js';
import { type FareContext, tapsForRiderDay } from './fare-engine.js';
import { type PathLeg, reversePath, sampleLegCount, samplePath } from './itineraries.js';
import { type TimedLeg, type TimingContext, timeJourney } from './journey-timing.js';
import { type Rider } from './riders.js';
import { type WeightedTable, clamp, pickWeighted } from './sampling.js';
import { substream, SubstreamFamily } from './substream.js';
import { TapColumns } from './tap-columns.js';
import { type DayType, operatingDayType, serviceIdOf } from './time-format.js';

/** Ground-truth tallies of a day (what calibration needs beyond the published rows). */
export interface DayStats {
  activeRiders: number;
  boardings: number;
  cashBoardings: number;
  cardBoardings: number;
  /** Card boardings the fare rules flagged as transfers. */
  transferBoardings: number;
  tokenDays: number;
  cappedTokenDays: number;
  /** Token-days with 1, 2, 3, >= 4 boardings. */
  boardingsPerTokenDay: [number, number, number, number];
  /** True boardings by hour 0..23. */
  boardingsByHour: number[];
  /** True boardings per stop index. */
  boardingsByStop: Float64Array;
}

/** A service day in progress: per-visit counters, tap drafts and (optionally) true legs. */
export interface DayState {
  serviceDate: string;
  dayType: DayType;
  serviceId: string;
  timing: TimingContext;
  fareContext: FareContext;
  timeTables: TimeTables;
  boardingsAtVisit: Int32Array;
  alightingsAtVisit: Int32Array;
  /** The current shard's taps; null when fares are not simulated (profile-tuning pilots). */
  taps: TapColumns | null;
  legs: TrueLeg[] | null;
  stats: DayStats;
  /** The day's rider-day substreams, (seed, P, rider-day, `${serviceDate}:${index}`). */
  riderDays: SubstreamFamily;
}

/** After the previous journey's arrival, a rider spends at least this long before leaving again. */
const MIN_ACTIVITY_SECONDS = 600;

export interface DayOptions {
  /** Keep every true leg (ground truth for calibration; off when streaming). */
  keepLegs?: boolean;
  /** Run the fare engine (off for profile-tuning pilots). */
  collectTaps?: boolean;
  /** Keep what fare records are built from (off when rows are encoded from the columns). */
  fareRecords?: boolean;
  /** Hourly weight multipliers for journey times (profile-tuning.ts). */
  profileCorrection?: readonly number[];
}

export function startDay(base: CityBase, serviceDate: string, options: DayOptions = {}): DayState {
  const dayType = operatingDayType(serviceDate);
  const serviceId = serviceIdOf(dayType);
  const timetable = base.schedule.timetables.get(serviceId);
  if (!timetable) throw new RangeError(`no timetable built for ${serviceId}`);
  const { noise, fares, demand } = base.params;
  const trips = base.schedule.trips;
  const delays = new Float64Array(trips.length);
  trips.forEach((trip, i) => {
    if (trip.serviceId !== serviceId) return;
    const rng = substream(base.seed, 'T', 'trip-delay', `${serviceDate}:${trip.tripId}`);
    delays[i] = Math.round(
      clamp(rng.normal(noise.tripDelayMeanSeconds, noise.tripDelaySdSeconds), -60, 600),
    );
  });
  return {
    serviceDate,
    dayType,
    serviceId,
    timing: {
      layout: base.layout,
      patterns: base.schedule.patterns,
      trips,
      timetable,
      delays,
      minTransferSeconds: demand.minTransferSeconds,
      meanHeadwaySeconds: base.paths.meanHeadwaySeconds,
    },
    fareContext: {
      fares,
      noise,
      stops: base.layout.stops,
      routes: base.layout.routes,
      trips,
      serviceDate,
    },
    timeTables: buildTimeTables(demand, dayType, options.profileCorrection),
    boardingsAtVisit: new Int32Array(base.schedule.totalVisits),
    alightingsAtVisit: new Int32Array(base.schedule.totalVisits),
    taps: options.collectTaps === false ? null : new TapColumns(options.fareRecords !== false),
    legs: options.keepLegs ? [] : null,
    riderDays: new SubstreamFamily(base.seed, 'P', 'rider-day', `${serviceDate}:`),
    stats: {
      activeRiders: 0,
      boardings: 0,
      cashBoardings: 0,
      cardBoardings: 0,
      transferBoardings: 0,
      tokenDays: 0,
      cappedTokenDays: 0,
      boardingsPerTokenDay: [0, 0, 0, 0],
      boardingsByHour: new Array<number>(24).fill(0),
      boardingsByStop: new Float64Array(base.layout.stops.length),
    },
  };
}

interface PlannedJourney {
  path: PathLeg[];
  time: number;
  table: WeightedTable;
}

/**
 * A journey whose routes do not run within this long of the wanted time (night hours off the
 * owl network; longer than any daytime headway) is re-timed: the rider would not plan it then.
 * This keeps the realised hourly profile on target instead of piling night demand onto the
 * first and last trips.
 */
const MAX_DRIFT_SECONDS = 4500;
const RETIME_ATTEMPTS = 3;

/**
 * One rider's day, from substream (seed, P, rider-day, date:index): whether they travel, how
 * many journeys, when, along which paths; then the legs are placed on trips, counted at each
 * stop visit, and (card riders) turned into fare transactions.
 */
export function simulateRiderDay(base: CityBase, day: DayState, rider: Rider): void {
  const rng = riderDayDraws(base, day, rider.index, rider.kind);
  if (rng) simulateTravelDay(base, day, rider, rng);
}

/**
 * The rider-day's generator after its first draw, whether rider `index` (of `kind`) travels
 * today; null when they stay home. Lets a caller skip building the rider for most riders.
 */
export function riderDayDraws(
  base: CityBase,
  day: DayState,
  index: number,
  kind: RiderKind,
): Prng | null {
  const rng = day.riderDays.at(index);
  const demand = base.params.demand;
  const weekdayActivity = demand.riderTypes[kind].weekdayActivity;
  const weekend = day.dayType !== 'weekday';
  const activity = Math.min(1, weekdayActivity * (weekend ? demand.weekendActivityFactor : 1));
  return rng.chance(activity) ? rng : null;
}

/** The rest of `simulateRiderDay` for a rider who travels (`rng` from `riderDayDraws`). */
export function simulateTravelDay(base: CityBase, day: DayState, rider: Rider, rng: Prng): void {
  const demand = base.params.demand;
  const type = demand.riderTypes[rider.kind];
  const weekend = day.dayType !== 'weekday';
  const journeys = pickWeighted(rng, type.journeys) + 1;
  const tables = day.timeTables;
  const plans: PlannedJourney[] = [];
  const freshPath = (): PathLeg[] =>
    samplePath(base.paths, rng, rider.originStop, sampleLegCount(rng, demand.legsPerJourney));

  const plan = (path: PathLeg[], table: WeightedTable, time?: number): PlannedJourney => ({
    path,
    table,
    time: time ?? sampleServiceSeconds(rng, table),
  });
  if (rider.commute && !weekend) {
    const am = plan(rider.commute, tables.amCommute);
    const pm = plan(reversePath(rider.commute), tables.pmCommute);
    if (journeys === 1) plans.push(rng.chance(0.7) ? am : pm);
    else plans.push(am, pm);
    if (journeys === 3) plans.push(plan(freshPath(), tables.other));
  } else {
    const times = Array.from({ length: journeys }, () => sampleServiceSeconds(rng, tables.other));
    times.sort((a, b) => a - b);
    const outbound = rider.commute ?? freshPath();
    times.forEach((time, k) =>
      plans.push(
        plan(
          k === 0 ? outbound : k === 1 ? reversePath(outbound) : freshPath(),
          tables.other,
          time,
        ),
      ),
    );
  }
  plans.sort((a, b) => a.time - b.time);

  const dayLegs: TimedLeg[] = [];
  let earliest = 0;
  plans.forEach((planned, journey) => {
    if (planned.path.length === 0) return;
    let { legs: timed, drift } = timeJourney(day.timing, planned.path, planned.time, earliest, rng);
    for (let k = 0; k < RETIME_ATTEMPTS && Math.abs(drift) > MAX_DRIFT_SECONDS; k++) {
      const time = sampleServiceSeconds(rng, planned.table);
      ({ legs: timed, drift } = timeJourney(day.timing, planned.path, time, earliest, rng));
    }
    if (timed.length === 0) return;
    earliest = timed[timed.length - 1].alightSeconds + MIN_ACTIVITY_SECONDS;
    timed.forEach((leg, k) => {
      recordLeg(base, day, leg);
      day.legs?.push({
        riderIndex: rider.index,
        journey,
        leg: k,
        tripIndex: leg.tripIndex,
        boardPosition: leg.boardPosition,
        alightPosition: leg.alightPosition,
        boardSeconds: leg.boardSeconds,
        alightSeconds: leg.alightSeconds,
        cash: rider.cash,
      });
      dayLegs.push(leg);
    });
  });
  if (dayLegs.length === 0) return;
  const stats = day.stats;
  stats.activeRiders++;
  if (rider.cash) {
    stats.cashBoardings += dayLegs.length;
    return;
  }
  if (!day.taps) return;
  const outcome = tapsForRiderDay(day.fareContext, rider, dayLegs, rng, day.taps);
  stats.cardBoardings += outcome.boardings;
  stats.transferBoardings += outcome.transfers;
  stats.tokenDays++;
  if (outcome.capped) stats.cappedTokenDays++;
  stats.boardingsPerTokenDay[Math.min(outcome.boardings, 4) - 1]++;
}

function recordLeg(base: CityBase, day: DayState, leg: TimedLeg): void {
  const visit = base.schedule.visitBase[leg.tripIndex];
  day.boardingsAtVisit[visit + leg.boardPosition]++;
  day.alightingsAtVisit[visit + leg.alightPosition]++;
  const stats = day.stats;
  stats.boardings++;
  stats.boardingsByHour[Math.floor(leg.boardSeconds / 3600) % 24]++;
  stats.boardingsByStop[leg.boardStop]++;
}

/** The day's board_alight rows for trips [fromTrip, toTrip), trip by trip in timetable order. */
export function finishBoardAlight(
  base: CityBase,
  day: DayState,
  fromTrip = 0,
  toTrip = base.schedule.trips.length,
): BoardAlightRecord[] {
  const out: BoardAlightRecord[] = [];
  const ctx = {
    seed: base.seed,
    serviceDate: day.serviceDate,
    noise: base.params.noise,
    stops: base.layout.stops,
    patterns: base.schedule.patterns,
    trips: base.schedule.trips,
    visitBase: base.schedule.visitBase,
    delays: day.timing.delays,
  };
  for (let i = fromTrip; i < toTrip; i++) {
    if (base.schedule.trips[i].serviceId === day.serviceId) {
      apcRowsForTrip(ctx, i, day.boardingsAtVisit, day.alightingsAtVisit, out);
    }
  }
  return out;
}
