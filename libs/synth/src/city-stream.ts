import { type CityBase, buildCityBase } from './city-base.js';
import { type BoardAlightRecord, type FareTransactionRecord } from './city-records.js';
import { type ParamOverrides, type ScaleName } from './params.js';
import { profileCorrection } from './profile-tuning.js';
import { type Rider, riderAt } from './riders.js';
import { finishFareTransactions } from './fare-rows.js';
import {
  type DayState,
  finishBoardAlight,
  riderDayDraws,
  simulateRiderDay,
  simulateTravelDay,
  startDay,
} from './service-day.js';
import { type RiderKind } from './city-records.js';
import { type CitySeed } from './substream.js';
import { SynthError } from './synth-error.js';
import { type DayType, addDays, operatingDayType } from './time-format.js';

export interface StreamCityOptions {
  seed: CitySeed;
  scale: ScaleName;
  params?: ParamOverrides;
  /** First service date (YYYYMMDD); default params.serviceDate. */
  startDate?: string;
  /** Consecutive service days; default 30 for large, else 1. */
  days?: number;
  /** Rider shards per day (each yields its own ordered fare-transaction chunk); default 1. */
  shards?: number;
  /** Trips per board_alight chunk. */
  tripsPerChunk?: number;
}

export type CityStreamChunk =
  | { kind: 'fare_transactions'; serviceDate: string; shard: number; rows: FareTransactionRecord[] }
  | { kind: 'board_alight'; serviceDate: string; rows: BoardAlightRecord[] };

/** The day-independent city a stream draws from (for the static GTFS and planning files). */
export function streamBase(options: StreamCityOptions): CityBase {
  const dayTypes: DayType[] = ['weekday', 'saturday', 'sunday'];
  return buildCityBase({
    seed: options.seed,
    scale: options.scale,
    params: options.params,
    dayTypes,
  });
}

/**
 * Generates days of a city as a stream of row chunks, never holding more than one shard's fare
 * transactions and one day's per-stop-visit counters: per day, each rider shard yields its
 * fare_transactions rows (time-ordered within the shard, offline records last), then the day's
 * board_alight rows follow in trip chunks. Riders are regenerated from their substreams for
 * every day, so memory stays flat; a day of one shard equals `generateCity` for that date.
 */
export function* streamCityDays(
  options: StreamCityOptions,
  base: CityBase = streamBase(options),
): Generator<CityStreamChunk> {
  const tripsPerChunk = options.tripsPerChunk ?? 5000;
  for (const step of simulateDays(options, base)) {
    const { serviceDate, day } = step;
    if (step.kind === 'shard') {
      const rows = finishFareTransactions(day, step.shard);
      yield { kind: 'fare_transactions', serviceDate, shard: step.shard, rows };
      continue;
    }
    const trips = base.schedule.trips.length;
    for (let t = 0; t < trips; t += tripsPerChunk) {
      const rows = finishBoardAlight(base, day, t, Math.min(trips, t + tripsPerChunk));
      if (rows.length > 0) yield { kind: 'board_alight', serviceDate, rows };
    }
  }
}

/**
 * Where `simulateDays` stands: a shard's riders are simulated (its taps are in `day.taps` until
 * the generator resumes), or every shard of the day is (its per-visit counts are complete).
 */
export type SimulatedStep =
  | { kind: 'shard'; serviceDate: string; shard: number; day: DayState }
  | { kind: 'day'; serviceDate: string; day: DayState };

/**
 * The simulation under `streamCityDays`, for writers that format rows without records.
 * `riderOf` serves rider i (default: regenerated from its substream; a RiderTable's `get`
 * gives the same riders without redrawing them every day), `kindOf` its kind (see simulateDay).
 */
export function* simulateDays(
  options: StreamCityOptions,
  base: CityBase = streamBase(options),
  riderOf?: (index: number) => Rider,
  kindOf?: (index: number) => RiderKind,
  fareRecords = true,
): Generator<SimulatedStep> {
  const days = options.days ?? (options.scale === 'large' ? 30 : 1);
  const shards = options.shards ?? 1;
  if (!Number.isInteger(days) || days < 1 || !Number.isInteger(shards) || shards < 1) {
    throw new SynthError('invalid-params', 'days and shards must be positive integers');
  }
  const start = options.startDate ?? base.params.serviceDate;
  const rider =
    riderOf ?? ((i: number) => riderAt(base.seed, base.params.demand, base.riders, base.paths, i));
  const corrections = new Map<DayType, number[]>();
  for (let d = 0; d < days; d++) {
    const date = addDays(start, d);
    yield* simulateDay(base, date, shards, rider, corrections, undefined, kindOf, fareRecords);
  }
}

/**
 * One service day of `simulateDays`. `corrections` caches the profile correction per day type:
 * a pilot day over a sample of riders, run on the stream's first date of that day type. A caller
 * that starts mid-stream (a worker thread given a later day) names that date as `pilotDate`
 * (default `serviceDate`), so its days equal the whole stream's. With `kindOf` (a RiderTable's),
 * a rider is only built when their first draw says they travel (fewer than half do). Without
 * `fareRecords`, a shard's taps can only be written by `writeFareTransactionRows`.
 */
export function* simulateDay(
  base: CityBase,
  serviceDate: string,
  shards: number,
  rider: (index: number) => Rider,
  corrections: Map<DayType, number[]>,
  pilotDate?: string,
  kindOf?: (index: number) => RiderKind,
  fareRecords = true,
): Generator<SimulatedStep> {
  const count = base.riders.count;
  const dayType = operatingDayType(serviceDate);
  let correction = corrections.get(dayType);
  if (!correction) {
    correction = profileCorrection(base, pilotDate ?? serviceDate, count, rider);
    corrections.set(dayType, correction);
  }
  const day = startDay(base, serviceDate, { profileCorrection: correction, fareRecords });
  for (let shard = 0; shard < shards; shard++) {
    const from = Math.floor((count * shard) / shards);
    const to = Math.floor((count * (shard + 1)) / shards);
    if (kindOf) {
      for (let i = from; i < to; i++) {
        const rng = riderDayDraws(base, day, i, kindOf(i));
        if (rng) simulateTravelDay(base, day, rider(i), rng);
      }
    } else {
      for (let i = from; i < to; i++) simulateRiderDay(base, day, rider(i));
    }
    yield { kind: 'shard', serviceDate, shard, day };
    day.taps?.clear();
  }
  yield { kind: 'day', serviceDate, day };
}
