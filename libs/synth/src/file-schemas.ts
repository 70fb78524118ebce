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
  type ZoneRecord,
} from './city-records.js';
import { type ByteLines } from './byte-lines.js';
import { type CsvValue, csvLine, formatCents } from './csv.js';
import { gtfsTime } from './time-format.js';

/**
 * Column layouts of every published file and the mapping from records to rows. Kept apart from
 * the file writing so a streaming writer can reuse them row by row.
 */

const bool = (b: boolean): string => (b ? 'true' : 'false');

// ---- transit/ (GTFS, GTFS-Fares v2, GTFS-ride) ----

export const AGENCY_HEADER = ['agency_id', 'agency_name', 'agency_url', 'agency_timezone'];
export const agencyRow = (a: AgencyRecord): CsvValue[] => [
  a.agencyId,
  a.agencyName,
  a.agencyUrl,
  a.agencyTimezone,
];

export const ROUTES_HEADER = [
  'route_id',
  'agency_id',
  'route_short_name',
  'route_long_name',
  'route_type',
];
export const routeRow = (r: RouteRecord): CsvValue[] => [
  r.routeId,
  r.agencyId,
  r.routeShortName,
  r.routeLongName,
  r.routeType,
];

export const STOPS_HEADER = [
  'stop_id',
  'stop_code',
  'stop_name',
  'stop_lat',
  'stop_lon',
  'zone_id',
  'location_type',
  'parent_station',
];
export const stopRow = (s: StopRecord): CsvValue[] => [
  s.stopId,
  s.stopCode,
  s.stopName,
  s.stopLat.toFixed(6),
  s.stopLon.toFixed(6),
  s.isStation ? `Z${s.fareZone}` : '',
  0,
  '',
];

export const TRIPS_HEADER = [
  'route_id',
  'service_id',
  'trip_id',
  'trip_headsign',
  'direction_id',
  'block_id',
  'shape_id',
];
export const tripRow = (t: TripRecord): CsvValue[] => [
  t.routeId,
  t.serviceId,
  t.tripId,
  t.tripHeadsign,
  t.directionId,
  t.blockId,
  '',
];

export const STOP_TIMES_HEADER = [
  'trip_id',
  'arrival_time',
  'departure_time',
  'stop_id',
  'stop_sequence',
  'pickup_type',
  'drop_off_type',
  'shape_dist_traveled',
];

/** stop_times rows of one trip (scheduled times; arrival equals departure). */
export function* stopTimeRows(
  trip: TripRecord,
  pattern: StopPattern,
  stops: readonly StopRecord[],
): Generator<CsvValue[]> {
  for (let k = 0; k < pattern.stopIndices.length; k++) {
    const time = gtfsTime(trip.startSeconds + pattern.offsetsSeconds[k]);
    yield [
      trip.tripId,
      time,
      time,
      stops[pattern.stopIndices[k]].stopId,
      k + 1,
      0,
      0,
      (pattern.distancesMeters[k] / 1000).toFixed(3),
    ];
  }
}

export const CALENDAR_HEADER = [
  'service_id',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'start_date',
  'end_date',
];
export const calendarRow = (c: CalendarRecord): CsvValue[] => [
  c.serviceId,
  ...c.days,
  c.startDate,
  c.endDate,
];

export const CALENDAR_DATES_HEADER = ['service_id', 'date', 'exception_type'];
export const calendarDateRow = (c: CalendarDateRecord): CsvValue[] => [
  c.serviceId,
  c.date,
  c.exceptionType,
];

export const FARE_MEDIA_HEADER = ['fare_media_id', 'fare_media_name', 'fare_media_type'];
export const fareMediaRow = (m: FareMediaRecord): CsvValue[] => [
  m.fareMediaId,
  m.fareMediaName,
  m.fareMediaType,
];

export const RIDER_CATEGORIES_HEADER = [
  'rider_category_id',
  'rider_category_name',
  'is_default_fare_category',
];
export const riderCategoryRow = (c: RiderCategoryRecord): CsvValue[] => [
  c.riderCategoryId,
  c.riderCategoryName,
  c.isDefaultFareCategory,
];

export const FARE_PRODUCTS_HEADER = [
  'fare_product_id',
  'fare_product_name',
  'rider_category_id',
  'fare_media_id',
  'amount',
  'currency',
];
export const fareProductRow =
  (currency: string) =>
  (p: FareProductRecord): CsvValue[] => [
    p.fareProductId,
    p.fareProductName,
    p.riderCategoryId,
    p.fareMediaId,
    formatCents(p.amountCents),
    currency,
  ];

export const BOARD_ALIGHT_HEADER = [
  'trip_id',
  'stop_id',
  'stop_sequence',
  'record_use',
  'schedule_relationship',
  'boardings',
  'alightings',
  'current_load',
  'load_type',
  'service_date',
  'service_arrival_time',
  'service_departure_time',
  'source',
];
export const boardAlightRow = (b: BoardAlightRecord): CsvValue[] => [
  b.tripId,
  b.stopId,
  b.stopSequence,
  b.recordUse,
  b.scheduleRelationship,
  b.boardings,
  b.alightings,
  b.currentLoad,
  b.loadType,
  b.serviceDate,
  b.serviceArrivalTime,
  b.serviceDepartureTime,
  b.source,
];

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * `csvLine(boardAlightRow(b))` encoded straight into `out` (a large month has 20 M of these
 * rows); only the text fields can need quoting, and then the general path runs.
 */
export function writeBoardAlightRow(b: BoardAlightRecord, out: ByteLines): void {
  if (
    NEEDS_QUOTES.test(b.tripId) ||
    NEEDS_QUOTES.test(b.stopId) ||
    NEEDS_QUOTES.test(b.serviceDate) ||
    NEEDS_QUOTES.test(b.serviceArrivalTime) ||
    NEEDS_QUOTES.test(b.serviceDepartureTime)
  ) {
    out.row(csvLine(boardAlightRow(b)));
    return;
  }
  out.text(b.tripId);
  out.byte(COMMA);
  out.text(b.stopId);
  out.byte(COMMA);
  out.uint(b.stopSequence);
  out.byte(COMMA);
  out.uint(b.recordUse);
  out.byte(COMMA);
  out.uint(b.scheduleRelationship);
  out.byte(COMMA);
  if (b.boardings !== null) out.uint(b.boardings);
  out.byte(COMMA);
  if (b.alightings !== null) out.uint(b.alightings);
  out.byte(COMMA);
  out.uint(b.currentLoad);
  out.byte(COMMA);
  out.uint(b.loadType);
  out.byte(COMMA);
  out.text(b.serviceDate);
  out.byte(COMMA);
  out.text(b.serviceArrivalTime);
  out.byte(COMMA);
  out.text(b.serviceDepartureTime);
  out.byte(COMMA);
  out.uint(b.source);
  out.endRow();
}

const COMMA = 0x2c;

export const ROUTE_COSTS_HEADER = ['route_id', 'revenue_hours', 'cost_per_rev_hour'];
export const routeCostRow = (c: RouteCostRecord): CsvValue[] => [
  c.routeId,
  c.revenueHours.toFixed(2),
  formatCents(c.costPerRevHourCents),
];

// ---- payments/ (TIDES-like) ----

export const FARE_TRANSACTIONS_HEADER = [
  'transaction_id',
  'service_date',
  'event_timestamp',
  'token_id',
  'fare_action',
  'stop_id',
  'route_id',
  'vehicle_id',
  'device_id',
  'amount',
  'nominal_amount',
  'fare_product',
  'rider_category',
  'fare_media',
  'fare_capped',
  'transfer_flag',
  'balance',
];
export const fareTransactionRow = (t: FareTransactionRecord): CsvValue[] => [
  t.transactionId,
  t.serviceDate,
  t.eventTimestamp,
  t.tokenId,
  t.fareAction,
  t.stopId,
  t.routeId,
  t.vehicleId,
  t.deviceId,
  formatCents(t.amountCents),
  formatCents(t.nominalAmountCents),
  t.fareProduct,
  t.riderCategory,
  t.fareMedia,
  bool(t.fareCapped),
  bool(t.transferFlag),
  t.balanceCents === null ? null : formatCents(t.balanceCents),
];

// ---- planning/ (ACS, LODES, crosswalks, enrolment) ----

export const ZONES_HEADER = [
  'GEOID',
  'B01003_001E',
  'B19013_001E',
  'B03002_001E',
  'B03002_003E',
  'C17002_001E',
  'C17002_002E',
  'C17002_003E',
  'C17002_004E',
  'C17002_005E',
  'C17002_006E',
  'C17002_007E',
  'C17002_008E',
  'B08201_002E',
  'B08301_010E',
];
export const zoneRow = (z: ZoneRecord): CsvValue[] => [
  z.geoid,
  z.population,
  z.medianHouseholdIncome,
  z.raceTotal,
  z.whiteNonHispanic,
  z.povertyUniverse,
  ...z.povertyRatioBins,
  z.zeroVehicleHouseholds,
  z.transitCommuters,
];

/** The published census geographies: zone ids only (the ACS estimates stay with planning). */
export const PUBLIC_ZONES_HEADER = ['GEOID'];
export const publicZoneRow = (z: ZoneRecord): CsvValue[] => [z.geoid];

export const LODES_WAC_HEADER = ['w_geocode', 'C000'];
export const lodesRow = (z: ZoneRecord): CsvValue[] => [z.geoid, z.jobs];

export const STOP_ZONE_HEADER = ['stop_id', 'GEOID'];
export const stopZoneRow = (s: StopZoneRecord): CsvValue[] => [s.stopId, s.geoid];

export const STOP_EQUITY_HEADER = ['stop_id', 'low_income', 'minority'];
export const stopEquityRow = (s: StopEquityRecord): CsvValue[] => [
  s.stopId,
  s.lowIncome,
  s.minority,
];

export const ENROLMENT_HEADER = ['token_id', 'home_geoid', 'income_band'];
export const enrolmentRow = (e: EnrolmentRecord): CsvValue[] => [
  e.tokenId,
  e.homeGeoid,
  e.incomeBand,
];
