import { type CityBase, buildCityBase, enrolmentContext } from './city-base.js';
import { streamBase, streamCityDays } from './city-stream.js';
import {
  type AgencyRecord,
  type BoardAlightRecord,
  type CalendarDateRecord,
  type CalendarRecord,
  type EnrolmentRecord,
  type FareMediaRecord,
  type FareProductRecord,
  type FareTransactionRecord,
  type RiderCategoryRecord,
  type RouteCostRecord,
  type RouteRecord,
  type StopEquityRecord,
  type StopPattern,
  type StopRecord,
  type StopZoneRecord,
  type TripRecord,
  type TrueLeg,
  type ZoneRecord,
} from './city-records.js';
import { FARE_MEDIA, RIDER_CATEGORIES, fareProductRecords } from './fare-catalogue.js';
import { finishFareTransactions } from './fare-rows.js';
import { type CityParams, type ParamOverrides, type ScaleName } from './params.js';
import { enrolmentRecords } from './enrolment.js';
import { stopEquityRecords, stopZoneRecords } from './planning-views.js';
import { profileCorrection } from './profile-tuning.js';
import { type Rider, riderAt } from './riders.js';
import { type DayStats, finishBoardAlight, simulateRiderDay, startDay } from './service-day.js';
import { type CitySeed } from './substream.js';
import { SynthError } from './synth-error.js';
import {
  agencyRecord,
  calendarDateRecords,
  calendarRecords,
  routeCostRecords,
} from './transit-tables.js';

/** City planning's holdings (C). */
export interface PlanningData {
  zones: ZoneRecord[];
  stopZones: StopZoneRecord[];
  stopEquity: StopEquityRecord[];
  enrolment: EnrolmentRecord[];
}

/** The transit authority's holdings (T): GTFS, Fares v2, APC, costs. */
export interface TransitData {
  agency: AgencyRecord;
  routes: RouteRecord[];
  stops: StopRecord[];
  trips: TripRecord[];
  patterns: StopPattern[];
  calendar: CalendarRecord[];
  calendarDates: CalendarDateRecord[];
  fareMedia: FareMediaRecord[];
  riderCategories: RiderCategoryRecord[];
  fareProducts: FareProductRecord[];
  boardAlight: BoardAlightRecord[];
  routeCosts: RouteCostRecord[];
}

/** The fare processor's holdings (P). */
export interface PaymentsData {
  fareTransactions: FareTransactionRecord[];
}

/** What really happened (never published): riders, their legs, day statistics. */
export interface GroundTruth {
  riders: Rider[];
  legs: TrueLeg[];
  stats: DayStats;
  targetBoardings: number;
}

/**
 * One seeded city and one service day, as each agency holds it (the fare processor's rows and
 * the APC counts may cover more days: `GenerateCityOptions.fareDays`, `apcDays`).
 */
export interface City {
  seed: string;
  scale: ScaleName;
  params: CityParams;
  paramsHash: string;
  serviceDate: string;
  planning: PlanningData;
  transit: TransitData;
  payments: PaymentsData;
  truth: GroundTruth;
  /** The day-independent model the city was drawn from (zones, network, timetables). */
  base: CityBase;
}

export interface GenerateCityOptions {
  seed: CitySeed;
  scale: ScaleName;
  /** Parameter overrides on top of the scale's documented defaults. */
  params?: ParamOverrides;
  /**
   * Consecutive service days the fare processor's rows cover, from `serviceDate` (default 1):
   * a weekly protocol needs seven, a 30-day one thirty. The rows are `streamCityDays`'s (its
   * first day equals this city's own); every other holding stays the one service day, but for
   * `apcDays`.
   */
  fareDays?: number;
  /**
   * Consecutive service days the transit authority's APC counts (board_alight) cover, from
   * `serviceDate` (default 1): a 30-day revenue-per-boarding needs thirty. Its rows are
   * `streamCityDays`'s too, and name weekend trips, so a city of several APC days carries the
   * timetables of every day type (trips.txt lists the Saturday and Sunday trips as well; the
   * service day's own trips and rows are unchanged).
   */
  apcDays?: number;
}

/**
 * Generates the city of (seed, scale) for `params.serviceDate`, deterministically: the same
 * seed, scale and parameters always give the same records. `large` does not fit in memory:
 * use `streamCityDays`.
 */
export function generateCity(options: GenerateCityOptions): City {
  if (options.scale === 'large') {
    throw new SynthError('invalid-scale', 'the large scale is stream-only: use streamCityDays');
  }
  const fareDays = options.fareDays ?? 1;
  const apcDays = options.apcDays ?? 1;
  for (const [name, days] of [
    ['fareDays', fareDays],
    ['apcDays', apcDays],
  ] as const)
    if (!Number.isInteger(days) || days < 1)
      throw new SynthError('invalid-params', `${name} must be a positive integer`);
  const base = apcDays > 1 ? streamBase(options) : buildCityBase(options);
  const further =
    fareDays > 1 || apcDays > 1
      ? rowsOfDays(options, fareDays, apcDays, apcDays > 1 ? base : undefined)
      : undefined;
  const serviceDate = base.params.serviceDate;
  const riders: Rider[] = [];
  for (let i = 0; i < base.riders.count; i++) {
    riders.push(riderAt(base.seed, base.params.demand, base.riders, base.paths, i));
  }
  const correction = profileCorrection(base, serviceDate, riders.length, (i) => riders[i]);
  const day = startDay(base, serviceDate, { keepLegs: true, profileCorrection: correction });
  for (const rider of riders) simulateRiderDay(base, day, rider);

  const zones = base.zones.records;
  const { stops, routes } = base.layout;
  const weekend = day.dayType !== 'weekday';
  return {
    seed: base.seed,
    scale: base.scale,
    params: base.params,
    paramsHash: base.paramsHash,
    serviceDate,
    planning: {
      zones,
      stopZones: stopZoneRecords(stops, base.network.stopZone, zones),
      stopEquity: stopEquityRecords(stops, base.network.stopZone, zones),
      enrolment: enrolmentRecords(enrolmentContext(base), riders, zones),
    },
    transit: {
      agency: agencyRecord(base),
      routes,
      stops,
      trips: base.schedule.trips,
      patterns: base.schedule.patterns,
      calendar: calendarRecords(serviceDate),
      calendarDates: calendarDateRecords(serviceDate),
      fareMedia: [...FARE_MEDIA],
      riderCategories: [...RIDER_CATEGORIES],
      fareProducts: fareProductRecords(base.params.fares),
      boardAlight: further && apcDays > 1 ? further.boardAlight : finishBoardAlight(base, day),
      routeCosts: routeCostRecords(base),
    },
    payments: {
      fareTransactions:
        further && fareDays > 1 ? further.fareTransactions : finishFareTransactions(day),
    },
    truth: {
      riders,
      legs: day.legs ?? [],
      stats: day.stats,
      targetBoardings:
        base.targetWeekdayBoardings * (weekend ? base.params.demand.weekendActivityFactor : 1),
    },
    base,
  };
}

/**
 * The fare processor's rows of `fareDays` days and the APC rows of `apcDays` days from the city's
 * service date, in day order, from one stream of the longer span (`base`: the stream's own, with
 * every day type's timetable).
 */
function rowsOfDays(
  options: GenerateCityOptions,
  fareDays: number,
  apcDays: number,
  base?: CityBase,
): { fareTransactions: FareTransactionRecord[]; boardAlight: BoardAlightRecord[] } {
  const fareTransactions: FareTransactionRecord[] = [];
  const boardAlight: BoardAlightRecord[] = [];
  const stream = streamCityDays(
    {
      seed: options.seed,
      scale: options.scale,
      params: options.params,
      days: Math.max(fareDays, apcDays),
    },
    base,
  );
  const dates: string[] = [];
  for (const chunk of stream) {
    if (dates.at(-1) !== chunk.serviceDate) dates.push(chunk.serviceDate);
    const dayIndex = dates.length - 1;
    if (chunk.kind === 'fare_transactions' && dayIndex < fareDays)
      fareTransactions.push(...chunk.rows);
    else if (chunk.kind === 'board_alight' && dayIndex < apcDays) boardAlight.push(...chunk.rows);
  }
  return { fareTransactions, boardAlight };
}
