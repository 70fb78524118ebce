import { describe, expect, it } from 'vitest';
import { calibrateCity } from './calibration.js';
import { cityFacts } from './city-facts.js';
import { generateCity } from './city.js';
import { revenuePerBoardingOracle } from './oracle-revenue.js';
import { ridershipPerCapitaOracle } from './oracle-ridership.js';
import { titleViFareEquityOracle } from './oracle-title-vi.js';
import { transfersOracle } from './oracle-transfers.js';

// One medium city for the whole file: it takes a few seconds.
const city = generateCity({ seed: 2026, scale: 'medium' });
const report = calibrateCity(city);
const check = (id: string) => {
  const c = report.checks.find((k) => k.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
};

describe('medium calibration (libs/synth/README.md, Calibration)', () => {
  it('has the documented medium-scale shape', () => {
    const facts = cityFacts(city);
    expect(city.planning.zones).toHaveLength(250);
    expect(city.transit.routes).toHaveLength(85);
    expect(facts.population).toBeGreaterThan(900_000);
    expect(facts.population).toBeLessThan(1_100_000);
    expect(facts.rows['transit/stops.txt']).toBeGreaterThan(2000);
    expect(facts.rows['payments/fare_transactions.csv']).toBeGreaterThan(110_000);
    expect(facts.rows['payments/fare_transactions.csv']).toBeLessThan(170_000);
  });

  it.each([
    'daily-boardings',
    'hourly-profile',
    'top-decile-stop-share',
    'transfer-share',
    'low-income-concession-share',
  ])('passes %s', (id) => {
    const c = check(id);
    expect(c.asserted).toBe(true);
    expect(c.value).toBeGreaterThanOrEqual(c.lower);
    expect(c.value).toBeLessThanOrEqual(c.upper);
  });

  it('passes overall', () => {
    expect(report.pass).toBe(true);
  });
});

describe('oracles on the medium city', () => {
  const serviceDate = city.serviceDate;

  it('revenue per boarding: without binding clips, totals equal the raw sums', () => {
    const r = revenuePerBoardingOracle(city, {
      serviceDate,
      maxTapsPerTokenDay: 1000,
      maxCentsPerTokenDay: 1_000_000,
      maxBoardingsPerCell: 1_000_000,
    });
    const apc = city.transit.boardAlight.reduce(
      (n, b) => n + (b.recordUse === 0 ? (b.boardings ?? 0) : 0),
      0,
    );
    expect(r.boardings.reduce((a, b) => a + b, 0n)).toBe(BigInt(apc));
    const known = new Set(r.routes);
    const paid = city.payments.fareTransactions
      .filter((t) => t.fareAction !== 'denied' && known.has(t.routeId))
      .reduce((n, t) => n + t.amountCents, 0);
    expect(r.revenueCents.reduce((a, b) => a + b, 0n)).toBe(BigInt(paid));
    // The declared clips can only lower the result.
    const clipped = revenuePerBoardingOracle(city, { serviceDate, maxBoardingsPerCell: 200 });
    expect(clipped.revenueCents.reduce((a, b) => a + b, 0n)).toBeLessThanOrEqual(BigInt(paid));
  });

  it('ridership per capita covers every zone', () => {
    const r = ridershipPerCapitaOracle(city, {
      serviceDate,
      maxBoardingsPerStop: 100_000,
      maxPopulationPerZone: 100_000,
    });
    expect(r.zones).toHaveLength(250);
    expect(r.population.reduce((a, b) => a + b, 0n)).toBe(BigInt(cityFacts(city).population));
  });

  it('Title VI groups partition usage', () => {
    const r = titleViFareEquityOracle(city, { serviceDate, maxTapsPerStopProduct: 100_000 });
    for (let p = 0; p < r.fareProducts.length; p++) {
      const [li, notLi, mi, notMi] = r.usage.slice(p * 4, p * 4 + 4);
      expect(li + notLi).toBe(mi + notMi);
    }
    expect(r.usage.some((u) => u > 0n)).toBe(true);
  });

  it('transfers are found between different routes only', () => {
    const r = transfersOracle(city, { serviceDate });
    const n = r.routes.length;
    for (let i = 0; i < n; i++) expect(r.counts[i * n + i]).toBe(0n);
    expect(r.counts.reduce((a, b) => a + b, 0n)).toBeGreaterThan(10_000n);
  });
});
