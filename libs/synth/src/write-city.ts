import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type City, type PlanningData, type TransitData } from './city.js';
import { CsvFileWriter, type CsvValue, type WrittenFile, writeCsv } from './csv.js';
import {
  AGENCY_HEADER,
  BOARD_ALIGHT_HEADER,
  CALENDAR_DATES_HEADER,
  CALENDAR_HEADER,
  ENROLMENT_HEADER,
  FARE_MEDIA_HEADER,
  FARE_PRODUCTS_HEADER,
  FARE_TRANSACTIONS_HEADER,
  LODES_WAC_HEADER,
  PUBLIC_ZONES_HEADER,
  RIDER_CATEGORIES_HEADER,
  ROUTE_COSTS_HEADER,
  ROUTES_HEADER,
  STOP_EQUITY_HEADER,
  STOP_TIMES_HEADER,
  STOP_ZONE_HEADER,
  STOPS_HEADER,
  TRIPS_HEADER,
  ZONES_HEADER,
  agencyRow,
  boardAlightRow,
  calendarDateRow,
  calendarRow,
  enrolmentRow,
  fareMediaRow,
  fareProductRow,
  fareTransactionRow,
  lodesRow,
  publicZoneRow,
  riderCategoryRow,
  routeCostRow,
  routeRow,
  stopEquityRow,
  stopRow,
  stopTimeRows,
  stopZoneRow,
  tripRow,
  zoneRow,
} from './file-schemas.js';
import {
  type CityManifest,
  type ManifestSource,
  buildManifest,
  manifestSourceOf,
} from './manifest.js';

/** The agency folders of an output directory. */
export const AGENCY_FOLDERS = {
  transit: 'transit',
  payments: 'payments',
  planning: 'planning',
  public: 'public',
} as const;

/** Called after each file is complete, with its path relative to the output directory. */
export type FileWritten = (relative: string, file: WrittenFile) => void;

export interface WriteCityOptions {
  onFile?: FileWritten;
}

/** The day-independent tables of a city: everything but the APC and fare rows. */
export interface StaticTables {
  transit: Omit<TransitData, 'boardAlight'>;
  planning: PlanningData;
  currency: string;
}

/**
 * Writes each agency's files under `outDir` (transit/, payments/, planning/, public/) and a
 * manifest.json with the seed, scale, parameter hash, and rows, bytes and SHA-256 of every file.
 * Output bytes depend only on the city, so the same (seed, scale, params) gives identical files.
 */
export function writeCity(
  city: City,
  outDir: string,
  options: WriteCityOptions = {},
): CityManifest {
  const out = new CityFiles(outDir, options.onFile);
  writeStaticFiles(out, {
    transit: city.transit,
    planning: city.planning,
    currency: city.params.fares.currency,
  });
  out.csv(
    'transit',
    'board_alight.txt',
    BOARD_ALIGHT_HEADER,
    city.transit.boardAlight,
    boardAlightRow,
  );
  out.csv(
    'payments',
    'fare_transactions.csv',
    FARE_TRANSACTIONS_HEADER,
    city.payments.fareTransactions,
    fareTransactionRow,
  );
  writePublicFiles(out, city.planning);
  return out.finish(manifestSourceOf(city));
}

/** An output directory being filled: creates folders, records every file for the manifest. */
export class CityFiles {
  readonly files = new Map<string, WrittenFile>();

  constructor(
    readonly outDir: string,
    private readonly onFile?: FileWritten,
  ) {
    for (const folder of Object.values(AGENCY_FOLDERS))
      mkdirSync(join(outDir, folder), { recursive: true });
  }

  path(folder: string, name: string): string {
    return join(this.outDir, folder, name);
  }

  record(folder: string, name: string, written: WrittenFile): void {
    const relative = `${folder}/${name}`;
    this.files.set(relative, written);
    this.onFile?.(relative, written);
  }

  csv<T>(
    folder: string,
    name: string,
    header: readonly string[],
    rows: Iterable<T>,
    toRow: (r: T) => readonly CsvValue[],
  ): void {
    this.record(folder, name, writeCsv(this.path(folder, name), header, rows, toRow));
  }

  /** A file written row by row by the caller; `record` it when closed. */
  writer(folder: string, name: string, header: readonly string[]): CsvFileWriter {
    return new CsvFileWriter(this.path(folder, name), header);
  }

  finish(source: ManifestSource): CityManifest {
    const manifest = buildManifest(source, this.files);
    writeFileSync(join(this.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }
}

/** GTFS, Fares v2, route costs and planning's files: everything that does not change by day. */
export function writeStaticFiles(out: CityFiles, tables: StaticTables): void {
  const t = tables.transit;
  out.csv('transit', 'agency.txt', AGENCY_HEADER, [t.agency], agencyRow);
  out.csv('transit', 'routes.txt', ROUTES_HEADER, t.routes, routeRow);
  out.csv('transit', 'stops.txt', STOPS_HEADER, t.stops, stopRow);
  out.csv('transit', 'trips.txt', TRIPS_HEADER, t.trips, tripRow);
  const stopTimes = out.writer('transit', 'stop_times.txt', STOP_TIMES_HEADER);
  for (const trip of t.trips) {
    for (const row of stopTimeRows(trip, t.patterns[trip.patternIndex], t.stops))
      stopTimes.row(row);
  }
  out.record('transit', 'stop_times.txt', stopTimes.close());
  out.csv('transit', 'calendar.txt', CALENDAR_HEADER, t.calendar, calendarRow);
  out.csv('transit', 'calendar_dates.txt', CALENDAR_DATES_HEADER, t.calendarDates, calendarDateRow);
  out.csv('transit', 'fare_media.txt', FARE_MEDIA_HEADER, t.fareMedia, fareMediaRow);
  out.csv(
    'transit',
    'rider_categories.txt',
    RIDER_CATEGORIES_HEADER,
    t.riderCategories,
    riderCategoryRow,
  );
  out.csv(
    'transit',
    'fare_products.txt',
    FARE_PRODUCTS_HEADER,
    t.fareProducts,
    fareProductRow(tables.currency),
  );
  out.csv('transit', 'route_costs.csv', ROUTE_COSTS_HEADER, t.routeCosts, routeCostRow);

  const p = tables.planning;
  out.csv('planning', 'zones.csv', ZONES_HEADER, p.zones, zoneRow);
  out.csv('planning', 'lodes_wac.csv', LODES_WAC_HEADER, p.zones, lodesRow);
  out.csv('planning', 'stop_zone.csv', STOP_ZONE_HEADER, p.stopZones, stopZoneRow);
  out.csv('planning', 'stop_equity.csv', STOP_EQUITY_HEADER, p.stopEquity, stopEquityRow);
  out.csv('planning', 'enrolment.csv', ENROLMENT_HEADER, p.enrolment, enrolmentRow);
}

/**
 * The public feed, everything the coordinator builds grids from: byte-identical copies of what
 * the transit authority publishes anyway (routes, stops, fare products), the census geographies
 * (GEOIDs only; the ACS estimates stay planning's input) and planning's stop→zone crosswalk (a
 * point-in-polygon of public stops against public tract polygons). Call after the static files.
 */
export function writePublicFiles(out: CityFiles, planning: Pick<PlanningData, 'zones'>): void {
  const copies: [string, string][] = [
    ['transit', 'routes.txt'],
    ['transit', 'stops.txt'],
    ['transit', 'fare_products.txt'],
    ['planning', 'stop_zone.csv'],
  ];
  for (const [folder, name] of copies) {
    const source = out.files.get(`${folder}/${name}`);
    if (!source) continue;
    const target = out.path(AGENCY_FOLDERS.public, name);
    copyFileSync(source.path, target);
    out.record(AGENCY_FOLDERS.public, name, { ...source, path: target });
  }
  out.csv(AGENCY_FOLDERS.public, 'zones.csv', PUBLIC_ZONES_HEADER, planning.zones, publicZoneRow);
}
