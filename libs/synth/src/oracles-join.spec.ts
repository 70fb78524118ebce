import { describe, expect, it } from 'vitest';
import { type FareTransactionRecord } from './city-records.js';
import { fareCappingImpactOracle } from './oracle-fare-capping.js';
import { type JoinOracleCity } from './oracle-join-inputs.js';
import { allRidersOdFlowsOracle, enrolledOdFlowsOracle } from './oracle-od-flows.js';
import { reducedFareUseOracle } from './oracle-reduced-fare.js';
import { SynthError } from './synth-error.js';

/**
 * A hand-built city for the join oracles. Zones Z1 (stop A) and Z2 (stops B, C); stop X has no
 * crosswalk row. Planning lists e1, e2, e3 and a retired token that never taps; a1 is not
 * listed. Every expected value below is worked out by hand in the comments.
 */
const D = '20260310';
const D2 = '20260311';
const Z1 = '99001000100';
const Z2 = '99001000200';
let seq = 0;

function row(
  tokenId: string,
  time: string,
  stopId: string,
  routeId: string,
  amountCents: number,
  extra: Partial<FareTransactionRecord> = {},
): FareTransactionRecord {
  seq++;
  const serviceDate = extra.serviceDate ?? D;
  const day = serviceDate === D ? '2026-03-10' : '2026-03-11';
  return {
    transactionId: `tx-${String(seq).padStart(4, '0')}`,
    serviceDate,
    eventTimestamp: `${day}T${time}`,
    tokenId,
    fareAction: 'tap-on',
    stopId,
    routeId,
    vehicleId: 'V1',
    deviceId: 'V1-FB1',
    amountCents,
    nominalAmountCents: amountCents,
    fareProduct: 'adult_single',
    riderCategory: 'adult',
    fareMedia: 'agency_card',
    fareCapped: false,
    transferFlag: false,
    balanceCents: null,
    ...extra,
  };
}

const low = { fareProduct: 'low_income_single', riderCategory: 'low_income' } as const;
const pass = { fareProduct: 'adult_30_day_pass' } as const;
const hh = (h: number): string => `${String(h).padStart(2, '0')}:00:00`;

const taps: FareTransactionRecord[] = [
  // e1: enrolled, low-income fare 1.00.
  row('e1', '07:00:00', 'A', '1', 100, low),
  row('e1', '07:00:30', 'A', '1', 0, low), // duplicate tap, 30 s later
  row('e1', '07:30:00', 'B', '2', 0, { ...low, transferFlag: true }),
  row('e1', '17:00:00', 'B', '2', 100, low),
  row('e1', '17:40:00', 'C', '2', 50, { ...low, fareAction: 'tap-off' }),
  row('e1', '08:00:00', 'A', '1', 100, { ...low, serviceDate: D2 }),
  row('e1', '18:00:00', 'A', '1', 100, { ...low, serviceDate: D2 }),
  // e2: enrolled, rides on the adult product; ten 2.00 taps alternating A, B on route 10.
  ...Array.from({ length: 10 }, (_, k) => row('e2', hh(8 + k), k % 2 === 0 ? 'A' : 'B', '10', 200)),
  // e3: enrolled, on a pass (not on the public product axis); starts at stop X (no zone).
  row('e3', '06:00:00', 'X', '1', 0, pass),
  row('e3', '06:30:00', 'A', '1', 0, pass),
  row('e3', '07:00:00', 'B', '2', 0, pass),
  // a1: not enrolled.
  row('a1', '09:00:00', 'A', '1', 200),
  row('a1', '09:10:00', 'A', '1', 0, { fareAction: 'denied' }),
  row('a1', '12:00:00', 'X', '0', 200), // route "0": no route, but a product
];

const city: JoinOracleCity = {
  transit: {
    routes: [{ routeId: '2' }, { routeId: '1' }, { routeId: '10' }],
    fareProducts: [
      { fareProductId: 'low_income_single' },
      { fareProductId: 'adult_single' },
      { fareProductId: 'adult_single' },
    ],
  },
  payments: { fareTransactions: taps },
  planning: {
    zones: [{ geoid: Z2 }, { geoid: Z1 }],
    stopZones: [
      { stopId: 'A', geoid: Z1 },
      { stopId: 'B', geoid: Z2 },
      { stopId: 'C', geoid: Z2 },
    ],
    enrolment: [{ tokenId: 'e1' }, { tokenId: 'e2' }, { tokenId: 'e3' }, { tokenId: 'retired' }],
  },
};

/** Sparse route × hour expectations as {"route@hour": value}. */
function grid(routes: string[], values: bigint[]): Record<string, number> {
  const out: Record<string, number> = {};
  values.forEach((v, i) => {
    if (v !== 0n) out[`${routes[Math.floor(i / 24)]}@${i % 24}`] = Number(v);
  });
  return out;
}

describe('reducedFareUseOracle', () => {
  it('splits trips and spend of enrolled riders from all riders by route × hour and product', () => {
    const r = reducedFareUseOracle(city, { serviceDate: D });
    expect(r.routes).toEqual(['1', '2', '10']);
    expect(r.fareProducts).toEqual(['adult_single', 'low_income_single']);
    // e1: A 07:00 (+dup) on 1; B 07:30 and 17:00 on 2, tap-off at 17:40 (no trip, 0.50).
    // e2: first 8 taps kept (08..15 h), spend 2 + 2 + 1 (the 5.00 token-day allowance).
    // e3: three pass rides (0.00) on 1 at 06 h (X and A) and on 2 at 07 h.
    const enrolledTrips = { '1@6': 2, '1@7': 2, '2@7': 2, '2@17': 1 } as Record<string, number>;
    for (let h = 8; h <= 15; h++) enrolledTrips[`10@${h}`] = 1;
    expect(grid(r.routes, r.byRouteHour.enrolledTrips)).toEqual(enrolledTrips);
    const enrolledSpend = { '1@7': 100, '2@17': 150, '10@8': 200, '10@9': 200, '10@10': 100 };
    expect(grid(r.routes, r.byRouteHour.enrolledSpendCents)).toEqual(enrolledSpend);
    // a1 adds its 09 h tap on 1; its route-"0" tap and its denied tap are not in the grid.
    expect(grid(r.routes, r.byRouteHour.allTrips)).toEqual({ ...enrolledTrips, '1@9': 1 });
    expect(grid(r.routes, r.byRouteHour.allSpendCents)).toEqual({ ...enrolledSpend, '1@9': 200 });
    // Products: e2 (adult) 8 trips 5.00; e1 (low) 4 trips 2.50; e3's pass is off the axis;
    // a1 adds 2 adult trips and 4.00 (the route-"0" tap keeps its product).
    expect(r.byProduct.enrolledTrips).toEqual([8n, 4n]);
    expect(r.byProduct.enrolledSpendCents).toEqual([500n, 250n]);
    expect(r.byProduct.allTrips).toEqual([10n, 4n]);
    expect(r.byProduct.allSpendCents).toEqual([900n, 250n]);
  });

  it('clips each token-day to the declared taps and cents', () => {
    const r = reducedFareUseOracle(city, {
      serviceDate: D,
      maxTapsPerTokenDay: 2,
      maxCentsPerTokenDay: 150,
    });
    // e2: 08 h and 09 h kept; 2.00 clipped to 1.50, then nothing left.
    expect(grid(r.routes, r.byRouteHour.enrolledSpendCents)).toEqual({ '1@7': 100, '10@8': 150 });
    // e1 keeps its tap and its duplicate (both 07 h on 1); e3 keeps X and A (06 h on 1).
    expect(grid(r.routes, r.byRouteHour.enrolledTrips)).toEqual({
      '1@6': 2,
      '1@7': 2,
      '10@8': 1,
      '10@9': 1,
    });
    expect(r.byProduct.enrolledSpendCents).toEqual([150n, 100n]);
    expect(() => reducedFareUseOracle(city, { serviceDate: D, maxTapsPerTokenDay: -1 })).toThrow(
      SynthError,
    );
  });
});

describe('enrolledOdFlowsOracle', () => {
  it('counts enrolled tap-on to next tap-on zone pairs, without duplicates', () => {
    const r = enrolledOdFlowsOracle(city, { serviceDate: D });
    expect(r.zones).toEqual([Z1, Z2]);
    // e1: A (dup dropped), B, B -> Z1→Z2, Z2→Z2. e2: first 4 of 7 pairs A→B, B→A, A→B, B→A.
    // e3: X→A dropped (X has no zone), A→B. a1 is not enrolled.
    // Cells: [Z1→Z1, Z1→Z2, Z2→Z1, Z2→Z2].
    expect(r.flows).toEqual([0n, 4n, 2n, 1n]);
  });

  it('applies the duplicate window and the per-token-day caps', () => {
    // Without the duplicate rule e1's second tap at A is a new origin: A→A, A→B, B→B.
    expect(
      enrolledOdFlowsOracle(city, { serviceDate: D, duplicateWindowSeconds: 0 }).flows,
    ).toEqual([1n, 4n, 2n, 1n]);
    // One flow per token-day: e1 A→B, e2 A→B; e3's X→A uses its only flow and is dropped.
    expect(enrolledOdFlowsOracle(city, { serviceDate: D, maxFlowsPerTokenDay: 1 }).flows).toEqual([
      0n,
      2n,
      0n,
      0n,
    ]);
    // Two taps per token-day: e1 A, B; e2 A, B; e3 X, A (dropped).
    expect(enrolledOdFlowsOracle(city, { serviceDate: D, maxTapsPerTokenDay: 2 }).flows).toEqual([
      0n,
      2n,
      0n,
      0n,
    ]);
  });
});

describe('allRidersOdFlowsOracle', () => {
  it('counts every card rider with the same rules, enrolled or not', () => {
    // a1's A→X pair is dropped (X has no zone); a2 (not enrolled) adds B→A, then a duplicate
    // tap at A 20 s later, then C: Z2→Z1, Z1→Z2.
    const withA2: JoinOracleCity = {
      ...city,
      payments: {
        fareTransactions: [
          ...taps,
          row('a2', '10:00:00', 'B', '2', 200),
          row('a2', '10:30:00', 'A', '1', 200),
          row('a2', '10:30:20', 'A', '1', 0),
          row('a2', '11:00:00', 'C', '2', 200),
        ],
      },
    };
    expect(allRidersOdFlowsOracle(withA2, { serviceDate: D }).flows).toEqual([0n, 5n, 3n, 1n]);
    // The enrolled grid is unchanged by a2, and the all-riders grid of the fixture equals it.
    expect(enrolledOdFlowsOracle(withA2, { serviceDate: D }).flows).toEqual([0n, 4n, 2n, 1n]);
    expect(allRidersOdFlowsOracle(city, { serviceDate: D }).flows).toEqual([0n, 4n, 2n, 1n]);
    expect(
      allRidersOdFlowsOracle(withA2, { serviceDate: D, maxFlowsPerTokenDay: 1 }).flows,
    ).toEqual([0n, 2n, 1n, 0n]);
  });
});

describe('fareCappingImpactOracle', () => {
  const base = {
    serviceDates: [D, D2],
    dailyCapCents: 150,
    weeklyCapCents: 300,
    maxSavingsCentsPerToken: 1000,
  };

  it('replays the declared daily and weekly caps and credits savings to the capped taps', () => {
    const r = fareCappingImpactOracle(city, base);
    expect(r.zones).toEqual([Z1, Z2]);
    // e1 on D: pays 1.00 at A, then the 17:00 tap at B pays 0.50 of 1.00 (daily cap 1.50):
    // saves 0.50 at B (Z2); the tap-off at C saves its 0.50 (Z2). On D2: 1.00 at A, then
    // 18:00 at A pays 0.50 (weekly 3.00 reached): saves 0.50 at A (Z1).
    // e2 on D: clipped spend 2.00 (A), 2.00 (B), 1.00 (A), then 0: pays 1.50 at A,
    // saves 0.50 at A, 2.00 at B, 1.00 at A. e3 spends nothing; a1 is not enrolled.
    // Spend, Z1 (A): e1 1.00 + 0.00 (dup) + 1.00 + 1.00 (D2), e2 2.00 + 1.00 = 6.00;
    // Z2 (B, C): e1 0.00 + 1.00 + 0.50, e2 2.00 = 3.50.
    expect(r.spendCents).toEqual([600n, 350n]);
    expect(r.savingsCents).toEqual([200n, 300n]);
  });

  it('clips savings per token over the window and reads only the declared dates', () => {
    const clipped = fareCappingImpactOracle(city, { ...base, maxSavingsCentsPerToken: 120 });
    // e1: 0.50 (B), 0.50 (C), then 0.20 of the 0.50 at A on D2. e2: 0.50 (A), 0.70 of 2.00 (B).
    expect(clipped.savingsCents).toEqual([70n, 170n]);
    const oneDay = fareCappingImpactOracle(city, { ...base, serviceDates: [D] });
    // Without D2, e1 saves only on D (1.00 in Z2): e2 unchanged.
    expect(oneDay.savingsCents).toEqual([150n, 300n]);
  });

  it('refuses a window that is not one week of distinct dates', () => {
    for (const serviceDates of [[], [D, D], ['20260310', '20260317'], ['2026-03-10']]) {
      expect(() => fareCappingImpactOracle(city, { ...base, serviceDates })).toThrow(SynthError);
    }
    expect(() => fareCappingImpactOracle(city, { ...base, weeklyCapCents: 1.5 })).toThrow(
      SynthError,
    );
  });
});
