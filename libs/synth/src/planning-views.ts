import {
  type StopEquityRecord,
  type StopRecord,
  type StopZoneRecord,
  type ZoneRecord,
} from './city-records.js';

/** A share as an exact fraction of two published counts. */
interface Fraction {
  num: bigint;
  den: bigint;
}

const lowIncomeFraction = (z: ZoneRecord): Fraction => ({
  num: BigInt(z.povertyRatioBins.slice(0, 6).reduce((a, b) => a + b, 0)),
  den: BigInt(z.povertyUniverse),
});

const minorityFraction = (z: ZoneRecord): Fraction => ({
  num: BigInt(z.raceTotal - z.whiteNonHispanic),
  den: BigInt(z.raceTotal),
});

function compare(a: Fraction, b: Fraction): number {
  // Empty zones (den 0) count as share 0.
  const an = a.den === 0n ? 0n : a.num;
  const ad = a.den === 0n ? 1n : a.den;
  const bn = b.den === 0n ? 0n : b.num;
  const bd = b.den === 0n ? 1n : b.den;
  const l = an * bd;
  const r = bn * ad;
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * 1 for zones whose share is strictly above the citywide median of zone shares (unweighted;
 * with an even count the median is the mean of the two middle shares), computed exactly from
 * the published counts so that C can reproduce it from zones.csv alone.
 */
export function aboveMedian(fractions: readonly Fraction[]): (0 | 1)[] {
  if (fractions.length === 0) return [];
  const sorted = [...fractions].sort(compare);
  const n = sorted.length;
  const a = sorted[Math.floor((n - 1) / 2)];
  const b = sorted[Math.floor(n / 2)];
  const norm = (f: Fraction): Fraction => (f.den === 0n ? { num: 0n, den: 1n } : f);
  const [na, nb] = [norm(a), norm(b)];
  // median = (a/b + c/d) / 2 = (a*d + c*b) / (2*b*d)
  const median: Fraction = { num: na.num * nb.den + nb.num * na.den, den: 2n * na.den * nb.den };
  return fractions.map((f) => (compare(f, median) > 0 ? 1 : 0));
}

export function zoneEquityFlags(zones: readonly ZoneRecord[]): {
  lowIncome: (0 | 1)[];
  minority: (0 | 1)[];
} {
  return {
    lowIncome: aboveMedian(zones.map(lowIncomeFraction)),
    minority: aboveMedian(zones.map(minorityFraction)),
  };
}

export function stopZoneRecords(
  stops: readonly StopRecord[],
  stopZone: Int32Array,
  zones: readonly ZoneRecord[],
): StopZoneRecord[] {
  return stops.map((s, i) => ({ stopId: s.stopId, geoid: zones[stopZone[i]].geoid }));
}

/** Each stop inherits its zone's low-income and minority indicators. */
export function stopEquityRecords(
  stops: readonly StopRecord[],
  stopZone: Int32Array,
  zones: readonly ZoneRecord[],
): StopEquityRecord[] {
  const flags = zoneEquityFlags(zones);
  return stops.map((s, i) => ({
    stopId: s.stopId,
    lowIncome: flags.lowIncome[stopZone[i]],
    minority: flags.minority[stopZone[i]],
  }));
}
