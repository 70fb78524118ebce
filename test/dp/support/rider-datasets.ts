import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BoardAlightRecord, FareTransactionRecord, OracleCity } from '#concord/synth';
import { formatCents, revenuePerBoardingOracle } from '#concord/synth';
import {
  type CatalogueEntry,
  compileSessionPlan,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import { apcBoardingsByRouteHour } from '../../../apps/agency-node/src/connectors/apc-boardings.connector.js';
import { fareRevenueByRouteHour } from '../../../apps/agency-node/src/connectors/fare-revenue.connector.js';
import { PARTY_OF_ROLE } from './parties.js';

// Small random datasets of the three agencies for revenue-per-boarding, organised by rider: the
// privacy unit is a rider's whole service day across all three agencies (docs/privacy.md, 'The
// promise'), so a neighbouring dataset adds or removes one rider's records everywhere at once.
//
// What a rider leaves: fare taps under its payment token (any number, any amounts, other days and
// off-grid routes included — the fare connector must bound them), and APC boardings. Automatic
// passenger counts are not linked to riders, so the protocol *declares* a rider's boardings
// (<= 8 a day) rather than enforcing them; the generator respects that declaration, and the
// property checks that aggregation and clipping never amplify it. Planning holds no
// rider-dependent input in this protocol.

export const SERVICE_DATE = '2026-03-10';
const GTFS_DATE = '20260310';
const OTHER_DATE = '20260311';
export const ROUTES = ['R1', 'R2', 'R3'] as const;
const TRIPS = [
  { tripId: 'T1', routeId: 'R1' },
  { tripId: 'T2', routeId: 'R1' },
  { tripId: 'T3', routeId: 'R2' },
  { tripId: 'T4', routeId: 'R3' },
  { tripId: 'T5', routeId: 'R9' }, // a route missing from routes.txt: off the grid
];

export interface Tap {
  readonly date: string;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly route: string;
  readonly action: 'tap-on' | 'tap-off' | 'denied';
  readonly cents: number;
}

export interface Boarding {
  readonly trip: string;
  /** GTFS hours run past 24 within a service day. */
  readonly hour: number;
  readonly date: string;
}

export interface Rider {
  readonly taps: readonly Tap[];
  readonly boardings: readonly Boarding[];
}

/** Counts not linked to riders (other APC records, including load-only rows). */
export interface CountRow {
  readonly trip: string;
  readonly hour: number;
  readonly count: number;
  readonly recordUse: 0 | 1;
  readonly date: string;
}

export interface Dataset {
  readonly riders: readonly Rider[];
  readonly counts: readonly CountRow[];
}

const date = fc.constantFrom(GTFS_DATE, GTFS_DATE, GTFS_DATE, OTHER_DATE);

export const tapArb: fc.Arbitrary<Tap> = fc.record({
  date,
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.constantFrom(0, 30),
  route: fc.constantFrom('R1', 'R2', 'R3', 'R9'),
  action: fc.constantFrom('tap-on', 'tap-on', 'tap-off', 'denied'),
  cents: fc.oneof(fc.integer({ min: -300, max: 700 }), fc.integer({ min: 0, max: 100_000 })),
});

/** A rider; `declaredBoardings` is the protocol's declared per-rider cap on APC boardings. */
export function riderArb(declaredBoardings: number): fc.Arbitrary<Rider> {
  return fc.record({
    taps: fc.array(tapArb, { maxLength: 16 }),
    boardings: fc.array(
      fc.record({
        trip: fc.constantFrom(...TRIPS.map((t) => t.tripId)),
        hour: fc.integer({ min: 0, max: 27 }),
        date,
      }),
      { maxLength: declaredBoardings },
    ),
  });
}

export function datasetArb(declaredBoardings: number): fc.Arbitrary<Dataset> {
  return fc.record({
    riders: fc.array(riderArb(declaredBoardings), { maxLength: 10 }),
    counts: fc.array(
      fc.record({
        trip: fc.constantFrom(...TRIPS.map((t) => t.tripId)),
        hour: fc.integer({ min: 0, max: 27 }),
        // Some cells reach the 50 000 clip, so clipping is exercised.
        count: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 45_000, max: 60_000 })),
        recordUse: fc.constantFrom(0 as const, 0 as const, 1 as const),
        date,
      }),
      { maxLength: 12 },
    ),
  });
}

/** D and a neighbour D′: one rider removed from D, or one new rider added. */
export function neighboursArb(declaredBoardings: number): fc.Arbitrary<[Dataset, Dataset]> {
  return fc
    .tuple(datasetArb(declaredBoardings), fc.boolean(), fc.nat(), riderArb(declaredBoardings))
    .map(([d, remove, index, extra]): [Dataset, Dataset] =>
      remove && d.riders.length > 0
        ? [d, { ...d, riders: d.riders.filter((_, i) => i !== index % d.riders.length) }]
        : [d, { ...d, riders: [...d.riders, extra] }],
    );
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function fareRows(d: Dataset): FareTransactionRecord[] {
  return d.riders.flatMap((r, i) =>
    r.taps.map((t, k) => ({
      transactionId: `tx-${i}-${String(k).padStart(2, '0')}`,
      serviceDate: t.date,
      eventTimestamp: `${t.date.slice(0, 4)}-${t.date.slice(4, 6)}-${t.date.slice(6)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`,
      tokenId: `token-${i}`,
      fareAction: t.action,
      stopId: 'S1',
      routeId: t.route,
      vehicleId: 'V1',
      deviceId: 'D1',
      amountCents: t.cents,
      nominalAmountCents: t.cents,
      fareProduct: 'adult',
      riderCategory: 'adult',
      fareMedia: 'card',
      fareCapped: false,
      transferFlag: false,
      balanceCents: null,
    })),
  );
}

function boardAlightRows(d: Dataset): BoardAlightRecord[] {
  const row = (trip: string, hour: number, count: number, recordUse: 0 | 1, day: string) => ({
    tripId: trip,
    stopId: 'S1',
    stopSequence: 1,
    recordUse,
    scheduleRelationship: 0,
    boardings: recordUse === 0 ? count : null,
    alightings: recordUse === 0 ? 0 : null,
    currentLoad: 0,
    loadType: 0 as const,
    serviceDate: day,
    serviceArrivalTime: `${pad(hour)}:15:00`,
    serviceDepartureTime: `${pad(hour)}:15:30`,
    source: 0,
  });
  return [
    ...d.counts.map((c) => row(c.trip, c.hour, c.count, c.recordUse, c.date)),
    ...d.riders.flatMap((r) => r.boardings.map((b) => row(b.trip, b.hour, 1, 0, b.date))),
  ];
}

export function oracleCity(d: Dataset): OracleCity {
  return {
    transit: {
      routes: ROUTES.map((routeId) => ({ routeId })),
      trips: TRIPS,
      stops: [{ stopId: 'S1' }],
      fareProducts: [],
      boardAlight: boardAlightRows(d),
    },
    payments: { fareTransactions: fareRows(d) },
    planning: { zones: [], stopZones: [], stopEquity: [] },
  };
}

/** The catalogue protocol and its plan over the public grid (three routes × 24 hours). */
export function revenuePlan(): { entry: CatalogueEntry; plan: SessionPlan } {
  const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
  const plan = compileSessionPlan(entry.analysis, {
    sessionId: '00000000-0000-4000-8000-000000000019',
    parameters: { serviceDate: SERVICE_DATE },
    axisValues: { route: [...ROUTES] },
    budget: '1/2',
    parties: PARTY_OF_ROLE,
  });
  return { entry, plan };
}

/** The two outputs (boardings, revenue) through the synthetic city's exact oracle. */
export function outputsByOracle(plan: SessionPlan, d: Dataset): bigint[][] {
  const [boardings, revenue] = plan.inputs;
  const truth = revenuePerBoardingOracle(oracleCity(d), {
    serviceDate: GTFS_DATE,
    maxTapsPerTokenDay: revenue.contribution!.rows,
    maxCentsPerTokenDay: revenue.contribution!.total,
    maxBoardingsPerCell: boardings.cell.max,
  });
  return [truth.boardings, truth.revenueCents];
}

/** The two outputs through the agencies' real connectors, reading files written to `dir`. */
export async function outputsByConnectors(
  plan: SessionPlan,
  d: Dataset,
  dir: string,
): Promise<bigint[][]> {
  const trips = join(dir, 'trips.txt');
  const boardAlight = join(dir, 'board_alight.txt');
  const fares = join(dir, 'fare_transactions.csv');
  writeFileSync(
    trips,
    ['trip_id,route_id', ...TRIPS.map((t) => `${t.tripId},${t.routeId}`)].join('\n'),
  );
  writeFileSync(
    boardAlight,
    [
      'trip_id,record_use,boardings,service_date,service_arrival_time',
      ...boardAlightRows(d).map(
        (r) =>
          `${r.tripId},${r.recordUse},${r.boardings ?? ''},${r.serviceDate},${r.serviceArrivalTime}`,
      ),
    ].join('\n'),
  );
  writeFileSync(
    fares,
    [
      'transaction_id,service_date,event_timestamp,token_id,fare_action,route_id,amount',
      ...fareRows(d).map(
        (r) =>
          `${r.transactionId},${r.serviceDate},${r.eventTimestamp},${r.tokenId},${r.fareAction},${r.routeId},${formatCents(r.amountCents)}`,
      ),
    ].join('\n'),
  );
  const [boardings, revenue] = plan.inputs;
  const apc = await apcBoardingsByRouteHour({
    plan,
    input: boardings,
    files: { trips, boardAlight },
  });
  const fare = await fareRevenueByRouteHour({
    plan,
    input: revenue,
    files: { fareTransactions: fares },
  });
  return [Array.from(apc.values, (v) => BigInt(v)), Array.from(fare.values, (v) => BigInt(v))];
}

/** L1 norm and squared L2 norm of a − b. */
export function distance(
  a: readonly bigint[],
  b: readonly bigint[],
): { l1: bigint; l2Squared: bigint } {
  let l1 = 0n;
  let l2Squared = 0n;
  a.forEach((x, i) => {
    const d = x > b[i] ? x - b[i] : b[i] - x;
    l1 += d;
    l2Squared += d * d;
  });
  return { l1, l2Squared };
}
