import { type CityBase, enrolmentContext } from './city-base.js';
import {
  type SimulatedStep,
  simulateDays,
  streamBase,
  type StreamCityOptions,
} from './city-stream.js';
import { type CsvFileWriter } from './csv.js';
import { type CityManifest } from './manifest.js';
import { FARE_MEDIA, RIDER_CATEGORIES, fareProductRecords } from './fare-catalogue.js';
import { ByteLines } from './byte-lines.js';
import { writeFareTransactionRows } from './fare-rows.js';
import {
  BOARD_ALIGHT_HEADER,
  FARE_TRANSACTIONS_HEADER,
  writeBoardAlightRow,
} from './file-schemas.js';
import { enrolmentRecords } from './enrolment.js';
import { stopEquityRecords, stopZoneRecords } from './planning-views.js';
import { RiderTable } from './rider-table.js';
import { type Rider, riderAt } from './riders.js';
import {
  agencyRecord,
  calendarDateRecords,
  calendarRecords,
  routeCostRecords,
} from './transit-tables.js';
import { finishBoardAlight } from './service-day.js';
import { addDays } from './time-format.js';
import {
  CityFiles,
  type FileWritten,
  type StaticTables,
  writePublicFiles,
  writeStaticFiles,
} from './write-city.js';

/** What a long streamed write reports as it goes (all optional). */
export interface StreamWriteProgress {
  /** A file is complete (static files first, the two daily files at the very end). */
  onFile?: FileWritten;
  /** Riders regenerated for the enrolment list, out of `total`. */
  onRiders?: (done: number, total: number) => void;
  /** A chunk of daily rows was generated and written. */
  onRows?: (kind: 'fare_transactions' | 'board_alight', serviceDate: string, rows: number) => void;
  /** Every row of `serviceDate` (the `index`-th day, from 0) is written. */
  onDay?: (serviceDate: string, index: number) => void;
}

/**
 * Writes a city of any scale, over `days` service days, without holding the days in memory:
 * the same folders, schemas and manifest as `writeCity`, with fare_transactions.csv and
 * board_alight.txt holding every day's rows (their service_date tells the days apart), appended
 * shard by shard as `simulateDays` (under `streamCityDays`) generates them, encoded without a
 * record per row. The static files come from the day-independent city (GTFS with weekday,
 * Saturday and Sunday service; planning's tables; the enrolment list from the riders, each drawn
 * once and kept in a RiderTable for the days). `writeCityStreamParallel` writes the same bytes
 * with the days simulated in worker threads.
 */
export function writeCityStream(
  options: StreamCityOptions,
  outDir: string,
  progress: StreamWriteProgress = {},
): CityManifest {
  const city = startCityStream(options, outDir, progress);
  const { base, days, start, serviceDates } = city;
  const fareRows = new ByteLines((bytes, rows) => city.fares.chunk(bytes, rows));
  const countRows = new ByteLines((bytes, rows) => city.counts.chunk(bytes, rows));
  const riderOf = (i: number): Rider => city.table.get(i);
  const kindOf = (i: number) => city.table.kindOf(i);
  let day = 0;
  const steps = simulateDays({ ...options, startDate: start, days }, base, riderOf, kindOf, false);
  for (const step of steps) {
    writeStepRows(base, step, fareRows, countRows, options.tripsPerChunk, progress.onRows);
    if (step.kind === 'day') progress.onDay?.(serviceDates[day], day++);
  }
  return finishCityStream(city);
}

/** A streamed write between its static files and its last day. */
export interface CityStreamInProgress {
  base: CityBase;
  table: RiderTable;
  start: string;
  days: number;
  serviceDates: string[];
  out: CityFiles;
  fares: CsvFileWriter;
  counts: CsvFileWriter;
}

/**
 * The day-independent part of a streamed write: the static files, the enrolment list and the
 * rider table the days draw from; the two daily files are open, with their headers.
 */
export function startCityStream(
  options: StreamCityOptions,
  outDir: string,
  progress: StreamWriteProgress = {},
): CityStreamInProgress {
  const base = streamBase(options);
  const start = options.startDate ?? base.params.serviceDate;
  const days = options.days ?? (options.scale === 'large' ? 30 : 1);
  const zones = base.zones.records;
  const { stops, routes } = base.layout;
  const count = base.riders.count;
  // Each rider is drawn once, for the enrolment list, and kept for every day's simulation.
  const table = RiderTable.allocate(count);
  function* riders(): Generator<Rider> {
    const every = Math.max(1, Math.floor(count / 100));
    for (let i = 0; i < count; i++) {
      const rider = riderAt(base.seed, base.params.demand, base.riders, base.paths, i);
      table.set(rider);
      yield rider;
      if ((i + 1) % every === 0 || i + 1 === count) progress.onRiders?.(i + 1, count);
    }
  }
  const tables: StaticTables = {
    transit: {
      agency: agencyRecord(base),
      routes,
      stops,
      trips: base.schedule.trips,
      patterns: base.schedule.patterns,
      calendar: calendarRecords(start),
      calendarDates: calendarDateRecords(start),
      fareMedia: [...FARE_MEDIA],
      riderCategories: [...RIDER_CATEGORIES],
      fareProducts: fareProductRecords(base.params.fares),
      routeCosts: routeCostRecords(base),
    },
    planning: {
      zones,
      stopZones: stopZoneRecords(stops, base.network.stopZone, zones),
      stopEquity: stopEquityRecords(stops, base.network.stopZone, zones),
      enrolment: enrolmentRecords(enrolmentContext(base), riders(), zones),
    },
    currency: base.params.fares.currency,
  };

  const out = new CityFiles(outDir, progress.onFile);
  writeStaticFiles(out, tables);
  writePublicFiles(out, tables.planning);
  return {
    base,
    table,
    start,
    days,
    serviceDates: Array.from({ length: days }, (_, d) => addDays(start, d)),
    out,
    fares: out.writer('payments', 'fare_transactions.csv', FARE_TRANSACTIONS_HEADER),
    counts: out.writer('transit', 'board_alight.txt', BOARD_ALIGHT_HEADER),
  };
}

/** Closes the daily files (all days written) and writes the manifest. */
export function finishCityStream(city: CityStreamInProgress): CityManifest {
  const { base, out } = city;
  out.record('payments', 'fare_transactions.csv', city.fares.close());
  out.record('transit', 'board_alight.txt', city.counts.close());
  return out.finish({
    seed: base.seed,
    scale: base.scale,
    serviceDates: city.serviceDates,
    paramsHash: base.paramsHash,
    params: base.params,
  });
}

/**
 * Encodes one step of `simulateDays`: a shard's fare_transactions rows, or (the day complete)
 * its board_alight rows in trip chunks. Each step's rows are flushed to the sinks before it
 * returns, so a sink sees whole steps.
 */
export function writeStepRows(
  base: CityBase,
  step: SimulatedStep,
  fareRows: ByteLines,
  countRows: ByteLines,
  tripsPerChunk = 5000,
  onRows?: StreamWriteProgress['onRows'],
): void {
  const { serviceDate } = step;
  if (step.kind === 'shard') {
    const rows = writeFareTransactionRows(step.day, step.shard, fareRows);
    fareRows.flush();
    onRows?.('fare_transactions', serviceDate, rows);
    return;
  }
  const trips = base.schedule.trips.length;
  for (let t = 0; t < trips; t += tripsPerChunk) {
    const rows = finishBoardAlight(base, step.day, t, Math.min(trips, t + tripsPerChunk));
    for (const row of rows) writeBoardAlightRow(row, countRows);
    countRows.flush();
    if (rows.length > 0) onRows?.('board_alight', serviceDate, rows.length);
  }
}
