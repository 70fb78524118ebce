import { type DemandParams } from './params.js';
import { type Prng } from './prng.js';
import { WeightedTable } from './sampling.js';
import { type DayType } from './time-format.js';

/** Hour-of-day distributions journeys draw their (mid-journey) time from. */
export interface TimeTables {
  amCommute: WeightedTable;
  pmCommute: WeightedTable;
  other: WeightedTable;
  /** Non-negative residual was feasible (else the commuter share overwhelms the profile). */
  feasible: boolean;
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** Profile hours 0..3 are served as GTFS 24:00–27:59 of the same service day. */
export function profileHourStart(hour: number): number {
  return (hour < 4 ? hour + 24 : hour) * 3600;
}

/** A time (service seconds) uniformly inside an hour drawn from the table. */
export function sampleServiceSeconds(rng: Prng, table: WeightedTable): number {
  return profileHourStart(table.pick(rng)) + rng.nextFloat() * 3600;
}

/** Expected journeys per rider of each kind on a day type: [commute AM, commute PM, other]. */
export function expectedJourneys(demand: DemandParams, dayType: DayType): [number, number, number] {
  const weekend = dayType !== 'weekday';
  const factor = weekend ? demand.weekendActivityFactor : 1;
  let am = 0;
  let pm = 0;
  let other = 0;
  for (const [kind, t] of Object.entries(demand.riderTypes)) {
    const act = t.share * Math.min(1, t.weekdayActivity * factor);
    const [p1, p2, p3] = t.journeys;
    const total = p1 + p2 + p3 || 1;
    if (kind === 'commuter' && !weekend) {
      am += (act * (p2 + p3 + 0.7 * p1)) / total;
      pm += (act * (p2 + p3 + 0.3 * p1)) / total;
      other += (act * p3) / total;
    } else {
      other += (act * (p1 + 2 * p2 + 3 * p3)) / total;
    }
  }
  return [am, pm, other];
}

/**
 * Commuters travel in the AM (04–12 h) and PM (12–04 h) halves of the target profile; everyone
 * else draws from what is left, so the mixture reproduces the target profile exactly in
 * expectation. `correction` multiplies every table's hourly weights (see profile-tuning.ts).
 * (Commuter departures N(07:45, 45 min) / N(17:15, 60 min), the usual rule of thumb, cannot
 * coexist with that profile at a 65–70 % commuter tap share; the profile wins. See
 * libs/synth/README.md, 'Model and where it deviates'.)
 */
export function buildTimeTables(
  demand: DemandParams,
  dayType: DayType,
  correction: readonly number[] = HOURS.map(() => 1),
): TimeTables {
  const profile = dayType === 'weekday' ? demand.weekdayProfile : demand.weekendProfile;
  const sum = profile.reduce((a, b) => a + b, 0);
  const p = profile.map((v) => v / sum);
  const isAm = (h: number): boolean => h >= 4 && h < 12;
  const amMass = p.reduce((s, v, h) => (isAm(h) ? s + v : s), 0);
  const pmMass = 1 - amMass;
  const am = p.map((v, h) => (isAm(h) ? v / amMass : 0));
  const pm = p.map((v, h) => (isAm(h) ? 0 : v / pmMass));
  const [eAm, ePm, eOther] = expectedJourneys(demand, dayType);
  const total = eAm + ePm + eOther;
  let feasible = true;
  const residual = p.map((v, h) => {
    const r = v * total - eAm * am[h] - ePm * pm[h];
    if (r < -1e-12) feasible = false;
    return Math.max(0, r);
  });
  const other = residual.some((r) => r > 0) ? residual : p;
  const corrected = (w: number[]): WeightedTable =>
    new WeightedTable(w.map((v, h) => v * correction[h]));
  return {
    amCommute: corrected(am),
    pmCommute: corrected(pm),
    other: corrected(other),
    feasible,
  };
}
