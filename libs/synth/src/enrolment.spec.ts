import { describe, expect, it } from 'vitest';
import { type City, generateCity } from './city.js';
import { streamCityDays } from './city-stream.js';
import { MAX_TOKENS_PER_ENROLLEE } from './enrolment.js';
import { ENROLMENT_RANGES, enrolmentOverlap } from './enrolment-overlap.js';
import { fareCappingImpactOracle } from './oracle-fare-capping.js';
import { enrolledOdFlowsOracle } from './oracle-od-flows.js';
import { reducedFareUseOracle } from './oracle-reduced-fare.js';
import { SynthError } from './synth-error.js';

const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);

/** The three join oracles with declared bounds, as the future protocols would run them. */
function answers(city: City) {
  const serviceDate = city.serviceDate;
  return {
    use: reducedFareUseOracle(city, { serviceDate }),
    od: enrolledOdFlowsOracle(city, { serviceDate }),
    capping: fareCappingImpactOracle(city, {
      serviceDates: [serviceDate],
      dailyCapCents: 200,
      weeklyCapCents: 1000,
      maxSavingsCentsPerToken: 300,
    }),
  };
}

function expectInRanges(city: City, ranges: Record<string, readonly [number, number]>): void {
  const overlap = enrolmentOverlap(
    city.planning.enrolment,
    city.payments.fareTransactions,
    city.serviceDate,
  );
  for (const [name, [lo, hi]] of Object.entries(ranges)) {
    const value = overlap[name as keyof typeof overlap];
    expect(value, name).toBeGreaterThanOrEqual(lo);
    expect(value, name).toBeLessThanOrEqual(hi);
  }
}

describe('reduced-fare enrolment list (small)', () => {
  const city = generateCity({ seed: 42, scale: 'small' });

  it('is deterministic per seed, and so are the join oracles', () => {
    const again = generateCity({ seed: 42, scale: 'small' });
    expect(again.planning.enrolment).toEqual(city.planning.enrolment);
    expect(answers(again)).toEqual(answers(city));
    const other = generateCity({ seed: 43, scale: 'small' });
    expect(other.planning.enrolment).not.toEqual(city.planning.enrolment);
  });

  it('holds at most three tokens per enrolled rider, sorted, each once', () => {
    const tokens = city.planning.enrolment.map((e) => e.tokenId);
    expect(tokens).toEqual([...tokens].sort());
    expect(new Set(tokens).size).toBe(tokens.length);
    const live = new Set(city.truth.riders.filter((r) => !r.cash).map((r) => r.tokenId));
    const listedLive = tokens.filter((t) => live.has(t)).length;
    expect(tokens.length).toBeLessThanOrEqual(listedLive * MAX_TOKENS_PER_ENROLLEE);
    expect(tokens.length).toBeGreaterThan(listedLive);
  });

  it('lands in the declared small-city ranges on two seeds', () => {
    expectInRanges(city, ENROLMENT_RANGES.small);
    expectInRanges(generateCity({ seed: 2026, scale: 'small' }), ENROLMENT_RANGES.small);
  });

  it('reduces to "every low-income card, nothing else" when the rates say so', () => {
    const exact = generateCity({
      seed: 42,
      scale: 'small',
      params: {
        enrolment: { lowIncomeCardListed: 1, otherProductEnrolled: 0, extraCards: [1, 0, 0] },
      },
    });
    const lowIncome = exact.truth.riders.filter((r) => !r.cash && r.category === 'low_income');
    expect(exact.planning.enrolment.map((e) => e.tokenId)).toEqual(
      lowIncome.map((r) => r.tokenId).sort(),
    );
    // The rider draws are untouched by the enrolment parameters.
    expect(exact.payments.fareTransactions).toEqual(city.payments.fareTransactions);
    expect(() =>
      generateCity({
        seed: 42,
        scale: 'small',
        params: { enrolment: { lowIncomeCardListed: 1.5 } },
      }),
    ).toThrow(SynthError);
  });

  it('keeps every oracle within its declared per-token bounds on the city', () => {
    const { use, od, capping } = answers(city);
    const joined = enrolmentOverlap(
      city.planning.enrolment,
      city.payments.fareTransactions,
      city.serviceDate,
    ).listedTapping;
    const n = BigInt(joined);
    // Enrolled cells never exceed all-rider cells, and enrolled totals respect the bounds
    // (8 taps and 5.00 per token-day; 4 flows per token-day; 3.00 of savings per token).
    use.byRouteHour.enrolledTrips.forEach((v, i) =>
      expect(v).toBeLessThanOrEqual(use.byRouteHour.allTrips[i]),
    );
    expect(sum(use.byProduct.enrolledTrips)).toBeGreaterThan(0n);
    expect(sum(use.byProduct.enrolledTrips)).toBeLessThanOrEqual(8n * n);
    expect(sum(use.byProduct.enrolledSpendCents)).toBeLessThanOrEqual(500n * n);
    expect(sum(od.flows)).toBeGreaterThan(0n);
    expect(sum(od.flows)).toBeLessThanOrEqual(4n * n);
    expect(sum(capping.savingsCents)).toBeLessThanOrEqual(300n * n);
    expect(sum(capping.savingsCents)).toBeLessThanOrEqual(sum(capping.spendCents));
    // A cap of 2.00 a day bites for some enrolled riders (low-income fare 1.00, cap 2.50 today).
    expect(sum(capping.savingsCents)).toBeGreaterThan(0n);
  });
});

describe('fare-capping impact over a streamed week (small)', () => {
  it('lets the weekly cap bite across days and clips savings per token', () => {
    const city = generateCity({ seed: 42, scale: 'small' });
    const chunks = [...streamCityDays({ seed: 42, scale: 'small', days: 4 })];
    const fareTransactions = chunks.flatMap((c) => (c.kind === 'fare_transactions' ? c.rows : []));
    const serviceDates = [...new Set(chunks.map((c) => c.serviceDate))];
    const week = { ...city, payments: { fareTransactions } };
    const params = { serviceDates, dailyCapCents: 10_000, maxSavingsCentsPerToken: 10_000 };
    // With no binding cap nothing is saved; a 3.00 weekly cap saves on multi-day riders only.
    const none = fareCappingImpactOracle(week, { ...params, weeklyCapCents: 10_000 });
    expect(sum(none.savingsCents)).toBe(0n);
    const weekly = fareCappingImpactOracle(week, { ...params, weeklyCapCents: 300 });
    const firstDay = fareCappingImpactOracle(week, {
      ...params,
      serviceDates: serviceDates.slice(0, 1),
      weeklyCapCents: 300,
    });
    expect(sum(weekly.savingsCents)).toBeGreaterThan(sum(firstDay.savingsCents));
    expect(weekly.spendCents).toEqual(none.spendCents);
    const clipped = fareCappingImpactOracle(week, {
      ...params,
      weeklyCapCents: 300,
      maxSavingsCentsPerToken: 50,
    });
    const listed = BigInt(city.planning.enrolment.length);
    expect(sum(clipped.savingsCents)).toBeLessThanOrEqual(50n * listed);
    expect(sum(clipped.savingsCents)).toBeLessThan(sum(weekly.savingsCents));
  });
});

describe('reduced-fare enrolment list (medium)', () => {
  it('lands in the declared medium-city ranges', () => {
    expectInRanges(generateCity({ seed: 2026, scale: 'medium' }), ENROLMENT_RANGES.medium);
  });
});
