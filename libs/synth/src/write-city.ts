import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type City } from './city.js';
import { CsvFileWriter, type WrittenFile, writeCsv } from './csv.js';
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
import { type CityManifest, buildManifest } from './manifest.js';

/** The agency folders of an output directory. */
export const AGENCY_FOLDERS = {
  transit: 'transit',
  payments: 'payments',
  planning: 'planning',
  public: 'public',
} as const;

/**
 * Writes each agency's files under `outDir` (transit/, payments/, planning/, public/) and a
 * manifest.json with the seed, scale, parameter hash, and rows, bytes and SHA-256 of every file.
 * Output bytes depend only on the city, so the same (seed, scale, params) gives identical files.
 */
export function writeCity(city: City, outDir: string): CityManifest {
  const files = new Map<string, WrittenFile>();
  const dir = (name: string): string => {
    const path = join(outDir, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const record = (relative: string, written: WrittenFile): void => {
    files.set(relative, written);
  };
  const t = city.transit;
  const transit = dir(AGENCY_FOLDERS.transit);
  const csv = <T>(
    folder: string,
    name: string,
    header: readonly string[],
    rows: Iterable<T>,
    toRow: (r: T) => readonly (string | number | null)[],
  ): void => record(`${folder}/${name}`, writeCsv(join(outDir, folder, name), header, rows, toRow));

  csv('transit', 'agency.txt', AGENCY_HEADER, [t.agency], agencyRow);
  csv('transit', 'routes.txt', ROUTES_HEADER, t.routes, routeRow);
  csv('transit', 'stops.txt', STOPS_HEADER, t.stops, stopRow);
  csv('transit', 'trips.txt', TRIPS_HEADER, t.trips, tripRow);
  const stopTimes = new CsvFileWriter(join(transit, 'stop_times.txt'), STOP_TIMES_HEADER);
  for (const trip of t.trips) {
    for (const row of stopTimeRows(trip, t.patterns[trip.patternIndex], t.stops))
      stopTimes.row(row);
  }
  record('transit/stop_times.txt', stopTimes.close());
  csv('transit', 'calendar.txt', CALENDAR_HEADER, t.calendar, calendarRow);
  csv('transit', 'calendar_dates.txt', CALENDAR_DATES_HEADER, t.calendarDates, calendarDateRow);
  csv('transit', 'fare_media.txt', FARE_MEDIA_HEADER, t.fareMedia, fareMediaRow);
  csv(
    'transit',
    'rider_categories.txt',
    RIDER_CATEGORIES_HEADER,
    t.riderCategories,
    riderCategoryRow,
  );
  csv(
    'transit',
    'fare_products.txt',
    FARE_PRODUCTS_HEADER,
    t.fareProducts,
    fareProductRow(city.params.fares.currency),
  );
  csv('transit', 'board_alight.txt', BOARD_ALIGHT_HEADER, t.boardAlight, boardAlightRow);
  csv('transit', 'route_costs.csv', ROUTE_COSTS_HEADER, t.routeCosts, routeCostRow);

  dir(AGENCY_FOLDERS.payments);
  csv(
    'payments',
    'fare_transactions.csv',
    FARE_TRANSACTIONS_HEADER,
    city.payments.fareTransactions,
    fareTransactionRow,
  );

  const p = city.planning;
  dir(AGENCY_FOLDERS.planning);
  csv('planning', 'zones.csv', ZONES_HEADER, p.zones, zoneRow);
  csv('planning', 'lodes_wac.csv', LODES_WAC_HEADER, p.zones, lodesRow);
  csv('planning', 'stop_zone.csv', STOP_ZONE_HEADER, p.stopZones, stopZoneRow);
  csv('planning', 'stop_equity.csv', STOP_EQUITY_HEADER, p.stopEquity, stopEquityRow);
  csv('planning', 'enrolment.csv', ENROLMENT_HEADER, p.enrolment, enrolmentRow);

  // The public feed: byte-identical copies of what the transit authority publishes anyway.
  const publicDir = dir(AGENCY_FOLDERS.public);
  for (const name of ['routes.txt', 'stops.txt', 'fare_products.txt']) {
    const source = files.get(`transit/${name}`);
    if (!source) continue;
    const target = join(publicDir, name);
    copyFileSync(source.path, target);
    record(`public/${name}`, { ...source, path: target });
  }

  const manifest = buildManifest(city, files);
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
