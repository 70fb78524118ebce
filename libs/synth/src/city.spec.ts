import { describe, expect, it } from 'vitest';
import { cityFacts } from './city-facts.js';
import { streamCityDays } from './city-stream.js';
import { generateCity } from './city.js';
import { manifestSourceOf } from './manifest.js';
import { zoneEquityFlags } from './planning-views.js';
import { SynthError } from './synth-error.js';

const city = generateCity({ seed: 42, scale: 'small' });

describe('generateCity (small)', () => {
  it('has the documented small-scale shape', () => {
    const facts = cityFacts(city);
    expect(city.planning.zones).toHaveLength(6);
    expect(city.transit.routes).toHaveLength(3);
    expect(city.transit.stops.length).toBeGreaterThanOrEqual(15);
    expect(city.transit.stops.length).toBeLessThanOrEqual(25);
    expect(facts.rows['payments/fare_transactions.csv']).toBeGreaterThan(700);
    expect(facts.rows['payments/fare_transactions.csv']).toBeLessThan(2000);
    expect(facts.trueBoardings / facts.targetBoardings).toBeGreaterThan(0.9);
    expect(facts.trueBoardings / facts.targetBoardings).toBeLessThan(1.1);
    // APC covers every trip at small scale.
    expect(facts.rows['transit/board_alight.txt']).toBe(facts.rows['transit/stop_times.txt']);
    expect(facts.fareActions['tap-off']).toBeGreaterThan(0);
    expect(facts.fareActions.denied).toBeGreaterThan(0);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const again = generateCity({ seed: 42, scale: 'small' });
    expect(again.payments).toEqual(city.payments);
    expect(again.transit.boardAlight).toEqual(city.transit.boardAlight);
    expect(again.planning).toEqual(city.planning);
    const other = generateCity({ seed: 43, scale: 'small' });
    expect(other.payments.fareTransactions).not.toEqual(city.payments.fareTransactions);
    expect(other.planning.zones).not.toEqual(city.planning.zones);
  });

  it('keeps ids consistent across the three agencies', () => {
    const stops = new Set(city.transit.stops.map((s) => s.stopId));
    const routes = new Set(city.transit.routes.map((r) => r.routeId));
    const trips = new Set(city.transit.trips.map((t) => t.tripId));
    for (const t of city.transit.trips) expect(routes.has(t.routeId)).toBe(true);
    for (const b of city.transit.boardAlight) {
      expect(trips.has(b.tripId) && stops.has(b.stopId)).toBe(true);
    }
    for (const tx of city.payments.fareTransactions) {
      expect(stops.has(tx.stopId)).toBe(true);
      expect(routes.has(tx.routeId) || tx.routeId === '0').toBe(true);
    }
    expect(city.planning.stopZones.map((s) => s.stopId).sort()).toEqual([...stops].sort());
    const ids = city.payments.fareTransactions.map((t) => t.transactionId);
    expect(new Set(ids).size).toBe(ids.length);
    const tokens = city.truth.riders.filter((r) => !r.cash).map((r) => r.tokenId);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('charges by the fare rules: denied and duplicate taps are free, caps hold', () => {
    const perToken = new Map<string, number>();
    for (const tx of city.payments.fareTransactions) {
      expect(tx.amountCents).toBeGreaterThanOrEqual(0);
      if (tx.fareAction === 'denied') expect(tx.amountCents).toBe(0);
      if (tx.fareProduct.includes('pass')) expect(tx.amountCents).toBe(0);
      perToken.set(tx.tokenId, (perToken.get(tx.tokenId) ?? 0) + tx.amountCents);
    }
    // Daily cap: 2.5 x the single fare (5.00 adult).
    expect(Math.max(...perToken.values())).toBeLessThanOrEqual(500);
  });

  it('balances APC counts per trip and never carries a negative load', () => {
    const byTrip = new Map<string, { on: number; off: number }>();
    for (const b of city.transit.boardAlight) {
      expect(b.currentLoad).toBeGreaterThanOrEqual(0);
      const t = byTrip.get(b.tripId) ?? { on: 0, off: 0 };
      t.on += b.boardings ?? 0;
      t.off += b.alightings ?? 0;
      byTrip.set(b.tripId, t);
    }
    for (const t of byTrip.values()) expect(t.on).toBe(t.off);
  });

  it('derives stop equity flags from the stop zone and the citywide median', () => {
    const flags = zoneEquityFlags(city.planning.zones);
    const zoneOf = new Map(city.planning.stopZones.map((s) => [s.stopId, s.geoid]));
    const index = new Map(city.planning.zones.map((z, i) => [z.geoid, i]));
    for (const e of city.planning.stopEquity) {
      const z = index.get(zoneOf.get(e.stopId) ?? '') ?? -1;
      expect(e.lowIncome).toBe(flags.lowIncome[z]);
      expect(e.minority).toBe(flags.minority[z]);
    }
    // Half the zones (strictly above the median of six) are flagged.
    expect(flags.lowIncome.filter((f) => f === 1).length).toBeLessThanOrEqual(3);
  });

  it("puts most low-income cards, some other cards and retired cards on planning's list", () => {
    const listed = new Set(city.planning.enrolment.map((e) => e.tokenId));
    const cards = city.truth.riders.filter((r) => !r.cash);
    const lowIncome = cards.filter((r) => r.category === 'low_income');
    const listedLow = lowIncome.filter((r) => listed.has(r.tokenId)).length;
    expect(listedLow).toBeGreaterThan(0);
    expect(listedLow).toBeLessThan(lowIncome.length);
    expect(cards.some((r) => r.category !== 'low_income' && listed.has(r.tokenId))).toBe(true);
    const live = new Set(cards.map((r) => r.tokenId));
    expect([...listed].some((t) => !live.has(t))).toBe(true);
    expect(city.truth.riders.some((r) => r.cash && listed.has(r.tokenId))).toBe(false);
  });

  it('streams the same day row for row', () => {
    const chunks = [...streamCityDays({ seed: 42, scale: 'small', days: 1 })];
    const taps = chunks.flatMap((c) => (c.kind === 'fare_transactions' ? c.rows : []));
    const apc = chunks.flatMap((c) => (c.kind === 'board_alight' ? c.rows : []));
    expect(taps).toEqual(city.payments.fareTransactions);
    expect(apc).toEqual(city.transit.boardAlight);
  });

  it('streams several days in shards', () => {
    const chunks = [...streamCityDays({ seed: 42, scale: 'small', days: 3, shards: 2 })];
    const dates = [...new Set(chunks.map((c) => c.serviceDate))];
    expect(dates).toEqual(['20260310', '20260311', '20260312']);
    const shards = chunks.filter((c) => c.kind === 'fare_transactions');
    expect(shards).toHaveLength(6);
    const ids = shards.flatMap((c) => c.rows.map((r) => r.transactionId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives the fare processor a week of rows on request, the first day the city's own", () => {
    const week = generateCity({ seed: 42, scale: 'small', fareDays: 7 });
    const dates = [...new Set(week.payments.fareTransactions.map((r) => r.serviceDate))];
    expect(dates).toEqual([
      '20260310',
      '20260311',
      '20260312',
      '20260313',
      '20260314',
      '20260315',
      '20260316',
    ]);
    expect(week.payments.fareTransactions.filter((r) => r.serviceDate === '20260310')).toEqual(
      city.payments.fareTransactions,
    );
    // Everything else is the one service day's.
    expect(week.transit.boardAlight).toEqual(city.transit.boardAlight);
    expect(week.planning.enrolment).toEqual(city.planning.enrolment);
    expect(manifestSourceOf(week).serviceDates).toEqual(dates);
    expect(manifestSourceOf(city).serviceDates).toEqual(['20260310']);
    expect(() => generateCity({ seed: 42, scale: 'small', fareDays: 0 })).toThrow(SynthError);
  });

  it('gives the APC counts and the fare rows 30 days on request, the first day the city’s own', () => {
    const month = generateCity({ seed: 42, scale: 'small', fareDays: 30, apcDays: 30 });
    const apcDates = [...new Set(month.transit.boardAlight.map((r) => r.serviceDate))];
    const fareDates = [...new Set(month.payments.fareTransactions.map((r) => r.serviceDate))];
    expect(apcDates).toHaveLength(30);
    expect(apcDates[0]).toBe('20260310');
    expect(apcDates.at(-1)).toBe('20260408');
    expect(fareDates).toEqual(apcDates);
    expect(month.transit.boardAlight.filter((r) => r.serviceDate === '20260310')).toEqual(
      city.transit.boardAlight,
    );
    expect(month.payments.fareTransactions.filter((r) => r.serviceDate === '20260310')).toEqual(
      city.payments.fareTransactions,
    );
    // Weekend counts name weekend trips, which trips.txt then lists beside the weekday ones.
    const trips = new Set(month.transit.trips.map((t) => t.tripId));
    expect(month.transit.boardAlight.every((r) => trips.has(r.tripId))).toBe(true);
    expect(new Set(month.transit.trips.map((t) => t.serviceId))).toEqual(
      new Set(['WKDY', 'SAT', 'SUN']),
    );
    expect(month.transit.trips.filter((t) => t.serviceId === 'WKDY')).toEqual(city.transit.trips);
    expect(manifestSourceOf(month).serviceDates).toEqual(apcDates);
    expect(() => generateCity({ seed: 42, scale: 'small', apcDays: 1.5 })).toThrow(SynthError);
  });

  it('refuses the large scale in memory', () => {
    expect(() => generateCity({ seed: 1, scale: 'large' })).toThrow(SynthError);
  });
});
