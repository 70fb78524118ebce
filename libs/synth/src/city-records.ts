/**
 * The records of a synthetic city, one interface per file row. Field values are exactly what
 * the writers print (ids, dates and times as the CSV strings; money in integer cents), so the
 * oracles read the same values the agency nodes will parse, without re-reading the files.
 */

// ---- planning (C) ----

export interface ZoneRecord {
  geoid: string;
  /** Centroid, metres east/north of the CBD (ground truth, not published). */
  x: number;
  y: number;
  /** B01003_001E */
  population: number;
  /** B19013_001E */
  medianHouseholdIncome: number;
  /** B03002_001E (equals population) and B03002_003E (white alone, not Hispanic). */
  raceTotal: number;
  whiteNonHispanic: number;
  /** C17002_001E: population for whom poverty status is determined. */
  povertyUniverse: number;
  /** C17002_002E..C17002_008E: income-to-poverty ratio bins (<0.5 ... >=2.0). */
  povertyRatioBins: number[];
  /** B08201_002E: households with no vehicle available. */
  zeroVehicleHouseholds: number;
  households: number;
  /** B08301_010E: workers commuting by public transportation. */
  transitCommuters: number;
  workers: number;
  /** LODES WAC C000. */
  jobs: number;
}

export interface StopZoneRecord {
  stopId: string;
  geoid: string;
}

export interface StopEquityRecord {
  stopId: string;
  lowIncome: 0 | 1;
  minority: 0 | 1;
}

export interface EnrolmentRecord {
  tokenId: string;
  homeGeoid: string;
  incomeBand: string;
}

// ---- transit (T) ----

export interface AgencyRecord {
  agencyId: string;
  agencyName: string;
  agencyUrl: string;
  agencyTimezone: string;
}

export type RouteKind = 'radial' | 'crosstown' | 'express' | 'brt' | 'rail';

export interface RouteRecord {
  routeId: string;
  agencyId: string;
  routeShortName: string;
  routeLongName: string;
  /** GTFS route_type: 0 tram/light rail, 1 subway, 3 bus. */
  routeType: number;
  kind: RouteKind;
  frequent: boolean;
  owl: boolean;
  /** Rail lines with tap-on/tap-off fares. */
  tapOff: boolean;
}

export interface StopRecord {
  stopId: string;
  stopCode: string;
  stopName: string;
  stopLat: number;
  stopLon: number;
  /** Metres east/north of the CBD. */
  x: number;
  y: number;
  isStation: boolean;
  /** Rail fare zone (stations only, else 0). */
  fareZone: number;
}

/** The stop sequence one direction of a route runs, with schedule offsets from the trip start. */
export interface StopPattern {
  routeIndex: number;
  directionId: 0 | 1;
  stopIndices: number[];
  offsetsSeconds: number[];
  distancesMeters: number[];
}

export interface TripRecord {
  tripId: string;
  routeId: string;
  routeIndex: number;
  serviceId: string;
  directionId: 0 | 1;
  tripHeadsign: string;
  blockId: string;
  vehicleId: string;
  patternIndex: number;
  /** Scheduled departure from the first stop, seconds into the service day. */
  startSeconds: number;
}

export interface CalendarRecord {
  serviceId: string;
  days: [number, number, number, number, number, number, number];
  startDate: string;
  endDate: string;
}

export interface CalendarDateRecord {
  serviceId: string;
  date: string;
  exceptionType: 1 | 2;
}

export interface FareMediaRecord {
  fareMediaId: string;
  fareMediaName: string;
  fareMediaType: number;
}

export interface RiderCategoryRecord {
  riderCategoryId: string;
  riderCategoryName: string;
  isDefaultFareCategory: 0 | 1;
}

export interface FareProductRecord {
  fareProductId: string;
  fareProductName: string;
  riderCategoryId: string;
  fareMediaId: string;
  amountCents: number;
}

/** GTFS-ride board_alight.txt. Load-only rows (record_use = 1) carry null counts. */
export interface BoardAlightRecord {
  tripId: string;
  stopId: string;
  stopSequence: number;
  recordUse: 0 | 1;
  scheduleRelationship: number;
  boardings: number | null;
  alightings: number | null;
  currentLoad: number;
  loadType: 0 | 1;
  serviceDate: string;
  serviceArrivalTime: string;
  serviceDepartureTime: string;
  source: number;
}

export interface RouteCostRecord {
  routeId: string;
  /** Revenue hours on the service day(s) generated, two decimals. */
  revenueHours: number;
  costPerRevHourCents: number;
}

// ---- payments (P) ----

export type FareAction = 'tap-on' | 'tap-off' | 'denied';

/** TIDES-like fare_transactions.csv row. */
export interface FareTransactionRecord {
  transactionId: string;
  serviceDate: string;
  eventTimestamp: string;
  tokenId: string;
  fareAction: FareAction;
  stopId: string;
  routeId: string;
  vehicleId: string;
  deviceId: string;
  amountCents: number;
  nominalAmountCents: number;
  fareProduct: string;
  riderCategory: string;
  fareMedia: string;
  fareCapped: boolean;
  transferFlag: boolean;
  /** Stored value after the transaction (agency cards only). */
  balanceCents: number | null;
}

// ---- ground truth (never published) ----

export type RiderKind = 'commuter' | 'regular' | 'occasional';

export interface TrueLeg {
  riderIndex: number;
  journey: number;
  leg: number;
  tripIndex: number;
  /** Positions in the trip's stop pattern. */
  boardPosition: number;
  alightPosition: number;
  /** Actual times, seconds into the service day. */
  boardSeconds: number;
  alightSeconds: number;
  cash: boolean;
}
