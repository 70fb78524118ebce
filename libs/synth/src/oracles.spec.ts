import { describe, expect, it } from 'vitest';
import { type BoardAlightRecord, type FareTransactionRecord } from './city-records.js';
import { type OracleCity } from './oracle-inputs.js';
import { revenuePerBoardingOracle } from './oracle-revenue.js';
import { ridershipPerCapitaOracle } from './oracle-ridership.js';
import { EQUITY_GROUPS, titleViFareEquityOracle } from './oracle-title-vi.js';
import { transfersOracle } from './oracle-transfers.js';
import { SynthError } from './synth-error.js';

/** A tiny hand-built city: three routes whose ids sort differently as strings and numbers. */
const D = '20260310';
let seq = 0;

function tap(
  tokenId: string,
  time: string,
  routeId: string,
  amountCents: number,
  extra: Partial<FareTransactionRecord> = {},
): FareTransactionRecord {
  seq++;
  return {
    transactionId: `tx-${String(seq).padStart(4, '0')}`,
    serviceDate: D,
    eventTimestamp: time.includes('T') ? time : `2026-03-10T${time}`,
    tokenId,
    fareAction: 'tap-on',
    stopId: 'A',
    routeId,
    vehicleId: 'V1',
    deviceId: 'V1-FB1',
    amountCents,
    nominalAmountCents: 200,
    fareProduct: 'adult_single',
    riderCategory: 'adult',
    fareMedia: 'agency_card',
    fareCapped: false,
    transferFlag: false,
    balanceCents: null,
    ...extra,
  };
}

function count(
  tripId: string,
  stopId: string,
  arrival: string,
  boardings: number | null,
  extra: Partial<BoardAlightRecord> = {},
): BoardAlightRecord {
  return {
    tripId,
    stopId,
    stopSequence: 1,
    recordUse: boardings === null ? 1 : 0,
    scheduleRelationship: 0,
    boardings,
    alightings: boardings === null ? null : 0,
    currentLoad: 0,
    loadType: 1,
    serviceDate: D,
    serviceArrivalTime: arrival,
    serviceDepartureTime: arrival,
    source: 1,
    ...extra,
  };
}

function city(fareTransactions: FareTransactionRecord[]): OracleCity {
  return {
    transit: {
      routes: [{ routeId: '2' }, { routeId: '1' }, { routeId: '10' }],
      trips: [
        { tripId: 't1', routeId: '1' },
        { tripId: 't10', routeId: '10' },
        { tripId: 't2', routeId: '2' },
      ],
      stops: [{ stopId: 'A' }, { stopId: 'B' }, { stopId: 'C' }],
      fareProducts: [
        { fareProductId: 'reduced_single' },
        { fareProductId: 'adult_single' },
        { fareProductId: 'adult_single' },
      ],
      boardAlight: [
        count('t1', 'A', '07:10:00', 5),
        count('t1', 'B', '07:50:00', 7),
        count('t1', 'C', '07:55:00', null), // load-only row: no counts
        count('t10', 'A', '24:15:00', 3), // after midnight: hour 0
        count('t2', 'B', '08:00:00', 4, { serviceDate: '20260311' }), // another day
        count('tX', 'A', '09:00:00', 9), // unknown trip: no route, but a stop
        count('t2', 'E', '09:00:00', 4), // stop without a known zone
      ],
    },
    payments: { fareTransactions },
    planning: {
      zones: [
        { geoid: '99001000200', population: 5000 },
        { geoid: '99001000100', population: 120000 },
      ],
      stopZones: [
        { stopId: 'A', geoid: '99001000100' },
        { stopId: 'B', geoid: '99001000200' },
        { stopId: 'C', geoid: '99001000200' },
        { stopId: 'E', geoid: '99999999999' },
      ],
      stopEquity: [
        { stopId: 'A', lowIncome: 1, minority: 0 },
        { stopId: 'B', lowIncome: 0, minority: 1 },
      ],
    },
  };
}

/** Cell value of a route-major result. */
const cell = (routes: string[], values: bigint[], route: string, hour: number): bigint =>
  values[routes.indexOf(route) * 24 + hour];

describe('revenuePerBoardingOracle', () => {
  const taps = [
    // tokA: 10 taps of 1.00 (> 8 kept); the third is mis-keyed to route "0" and uses up
    // allowance without landing in a cell; a denied tap does not count among the 8.
    ...Array.from({ length: 10 }, (_, i) => tap('tokA', `06:0${i}:00`, i === 2 ? '0' : '1', 100)),
    tap('tokA', '06:02:30', '1', 0, { fareAction: 'denied' }),
    // tokB: a 7.50 row is clipped to the 5.00 cap, so the next row adds nothing.
    tap('tokB', '09:30:00', '2', 750),
    tap('tokB', '10:00:00', '2', 200),
    // tokC: tap-on before midnight, tap-off after (same service day), a refund clipped to 0.
    tap('tokC', '23:59:59', '10', 200),
    tap('tokC', '2026-03-11T00:20:00', '10', 150, { fareAction: 'tap-off' }),
    tap('tokC', '2026-03-11T00:25:00', '10', -100, { fareAction: 'tap-off' }),
    // tokD: equal timestamps are ordered by transaction_id (x1 before x2).
    tap('tokD', '07:00:00', '1', 400, { transactionId: 'x2' }),
    tap('tokD', '07:00:00', '2', 300, { transactionId: 'x1' }),
    // Another service date is ignored.
    tap('tokE', '08:00:00', '1', 200, { serviceDate: '20260309' }),
  ];
  const result = revenuePerBoardingOracle(city(taps), { serviceDate: D, maxBoardingsPerCell: 10 });

  it('sorts routes in natural order (2 before 10) and lays cells out route-major', () => {
    expect(result.routes).toEqual(['1', '2', '10']);
    expect(result.hours).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(result.boardings).toHaveLength(72);
    expect(result.revenueCents).toHaveLength(72);
  });

  it('sums record_use 0 boardings by route and arrival hour, clipping each cell', () => {
    const b = result.boardings;
    expect(cell(result.routes, b, '1', 7)).toBe(10n); // 5 + 7 = 12, clipped to 10
    expect(cell(result.routes, b, '10', 0)).toBe(3n);
    expect(cell(result.routes, b, '2', 9)).toBe(4n); // stop E: T's side does not need a zone
    expect(b.reduce((a, x) => a + x, 0n)).toBe(17n);
  });

  it('applies the per-token-day tap limit, amount clip and running cap', () => {
    const r = result.revenueCents;
    expect(cell(result.routes, r, '1', 6)).toBe(400n); // 5 x 1.00 reach the cap, one on route 0
    expect(cell(result.routes, r, '2', 9)).toBe(500n);
    expect(cell(result.routes, r, '2', 10)).toBe(0n);
    expect(cell(result.routes, r, '10', 23)).toBe(200n);
    expect(cell(result.routes, r, '10', 0)).toBe(150n);
    expect(cell(result.routes, r, '2', 7)).toBe(300n);
    expect(cell(result.routes, r, '1', 7)).toBe(200n);
    expect(r.reduce((a, x) => a + x, 0n)).toBe(1750n);
  });

  it('honours the limits it is given and rejects bad ones', () => {
    const tight = revenuePerBoardingOracle(city(taps), {
      serviceDate: D,
      maxTapsPerTokenDay: 2,
      maxCentsPerTokenDay: 150,
      maxBoardingsPerCell: 0,
    });
    expect(tight.boardings.every((x) => x === 0n)).toBe(true);
    // tokA: 100 + 50; tokB: 150; tokC: 150; tokD: 150 (x1) + 0.
    expect(cell(tight.routes, tight.revenueCents, '1', 6)).toBe(150n);
    expect(tight.revenueCents.reduce((a, x) => a + x, 0n)).toBe(600n);
    expect(() =>
      revenuePerBoardingOracle(city(taps), { serviceDate: D, maxBoardingsPerCell: -1 }),
    ).toThrow(SynthError);
    expect(() =>
      revenuePerBoardingOracle(city(taps), { serviceDate: '2026-03-10', maxBoardingsPerCell: 1 }),
    ).toThrow(SynthError);
  });
});

describe('ridershipPerCapitaOracle', () => {
  it('clips boardings per stop, maps stops to zones and clips population', () => {
    const result = ridershipPerCapitaOracle(city([]), {
      serviceDate: D,
      maxBoardingsPerStop: 16,
      maxPopulationPerZone: 100000,
    });
    expect(result.zones).toEqual(['99001000100', '99001000200']);
    // Stop A: 5 + 3 + 9 = 17, clipped to 16. Stop B: 7 (the other day's 4 excluded).
    // Stop C has only a load-only row; stop E maps to an unknown zone.
    expect(result.boardings).toEqual([16n, 7n]);
    expect(result.population).toEqual([100000n, 5000n]);
  });
});

describe('titleViFareEquityOracle', () => {
  const taps = [
    // v1: ten tap-ons at A; the first 8 count, then the cell is clipped to 6.
    ...Array.from({ length: 10 }, (_, i) => tap('v1', `08:0${i}:00`, '1', 200)),
    // v2: two reduced tap-ons at B; tap-off and denied rows do not count.
    tap('v2', '09:00:00', '2', 100, { stopId: 'B', fareProduct: 'reduced_single' }),
    tap('v2', '09:10:00', '2', 0, { stopId: 'B', fareProduct: 'reduced_single' }),
    tap('v2', '09:20:00', '2', 0, {
      stopId: 'B',
      fareAction: 'tap-off',
      fareProduct: 'reduced_single',
    }),
    tap('v2', '09:21:00', '2', 0, {
      stopId: 'B',
      fareAction: 'denied',
      fareProduct: 'reduced_single',
    }),
    // v3: C has no equity row (no group), D is not a stop, the product is unknown, then B.
    tap('v3', '10:00:00', '1', 200, { stopId: 'C' }),
    tap('v3', '10:05:00', '1', 200, { stopId: 'D' }),
    tap('v3', '10:10:00', '1', 0, { stopId: 'B', fareProduct: 'mystery_pass' }),
    tap('v3', '10:15:00', '1', 200, { stopId: 'B' }),
    tap('v4', '10:00:00', '1', 200, { serviceDate: '20260311' }),
  ];

  it('multiplies per-stop usage by the indicators and their complements', () => {
    const result = titleViFareEquityOracle(city(taps), {
      serviceDate: D,
      maxTapsPerStopProduct: 6,
    });
    expect(result.fareProducts).toEqual(['adult_single', 'reduced_single']);
    expect(result.groups).toEqual(EQUITY_GROUPS);
    // adult: A 6 x [1,0,0,1] + B 1 x [0,1,1,0]; reduced: B 2 x [0,1,1,0].
    expect(result.usage).toEqual([6n, 1n, 1n, 6n, 0n, 2n, 2n, 0n]);
  });

  it('keeps only the first taps of a token-day', () => {
    const result = titleViFareEquityOracle(city(taps), {
      serviceDate: D,
      maxTapsPerTokenDay: 3,
      maxTapsPerStopProduct: 100,
    });
    // v1: 3 at A; v2: 2 reduced at B; v3: C, D, mystery use the 3 slots, so B is not counted.
    expect(result.usage).toEqual([3n, 0n, 0n, 3n, 0n, 2n, 2n, 0n]);
  });
});

describe('transfersOracle', () => {
  const taps = [
    // u1: 1 -> 2 (30 min), 2 -> 2 (same route), 2 -> 10 (3 h: too late), 10 -> 1.
    tap('u1', '08:00:00', '1', 200),
    tap('u1', '08:30:00', '2', 0),
    tap('u1', '09:00:00', '2', 0),
    tap('u1', '12:00:00', '10', 200),
    tap('u1', '12:10:00', '2', 0, { fareAction: 'denied' }),
    tap('u1', '12:20:00', '10', 0, { fareAction: 'tap-off' }),
    tap('u1', '12:30:00', '1', 0),
    // u2: six alternating taps: five links, only the first four count.
    ...['1', '2', '1', '2', '1', '2'].map((r, i) => tap('u2', `13:0${i}:00`, r, 0)),
    // u3: the link from route "0" counts against the cap, then is dropped.
    tap('u3', '07:00:00', '0', 200),
    tap('u3', '07:10:00', '1', 0),
    tap('u3', '07:20:00', '2', 0),
    // u4: a gap of exactly the window counts; one second more does not.
    tap('u4', '10:00:00', '1', 200),
    tap('u4', '12:00:00', '10', 200),
    tap('u4', '14:00:01', '2', 200),
    // u5: eight taps on one route, then a change the tap limit cuts off.
    ...Array.from({ length: 8 }, (_, i) => tap('u5', `15:0${i}:00`, '1', 0)),
    tap('u5', '15:09:00', '2', 0),
  ];

  it('counts consecutive tap-ons on different routes within the window', () => {
    const result = transfersOracle(city(taps), { serviceDate: D });
    expect(result.routes).toEqual(['1', '2', '10']);
    // from-major over ['1', '2', '10'].
    expect(result.counts).toEqual([0n, 4n, 1n, 2n, 0n, 0n, 1n, 0n, 0n]);
  });

  it('honours the per-token-day transfer cap', () => {
    const result = transfersOracle(city(taps), { serviceDate: D, maxTransfersPerTokenDay: 1 });
    // u1: 1->2; u2: 1->2; u3: the 0->1 link uses the only slot; u4: 1->10.
    expect(result.counts).toEqual([0n, 2n, 1n, 0n, 0n, 0n, 0n, 0n, 0n]);
  });
});
