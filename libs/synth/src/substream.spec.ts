import { describe, expect, it } from 'vitest';
import { buildCityBase } from './city-base.js';
import { generateCity } from './city.js';
import { riderAt } from './riders.js';
import { normalizeSeed, substream } from './substream.js';
import { generateZones } from './zones.js';
import { resolveParams } from './params.js';
import { SynthError } from './synth-error.js';

const draws = (
  seed: string,
  party: 'world' | 'T' | 'P' | 'C',
  kind: string,
  id: string | number,
) => {
  const rng = substream(seed, party, kind, id);
  return Array.from({ length: 4 }, () => rng.nextU32());
};

describe('substream', () => {
  it('is a pure function of (seed, party, kind, id)', () => {
    expect(draws('42', 'P', 'rider', 7)).toEqual(draws('42', 'P', 'rider', 7));
    expect(draws('42', 'P', 'rider', 7)).toEqual(draws('42', 'P', 'rider', '7'));
  });

  it('separates seeds, parties, kinds and ids', () => {
    const base = draws('42', 'P', 'rider', 7);
    expect(draws('43', 'P', 'rider', 7)).not.toEqual(base);
    expect(draws('42', 'T', 'rider', 7)).not.toEqual(base);
    expect(draws('42', 'P', 'rider-day', 7)).not.toEqual(base);
    expect(draws('42', 'P', 'rider', 8)).not.toEqual(base);
    // No ambiguity from concatenation: ("rider", "17") vs ("rider1", "7").
    expect(draws('42', 'P', 'rider1', 7)).not.toEqual(draws('42', 'P', 'rider', 17));
  });

  it('normalises 64-bit seeds given as numbers, bigints or decimal strings', () => {
    expect(normalizeSeed(42)).toBe('42');
    expect(normalizeSeed(42n)).toBe('42');
    expect(normalizeSeed('42')).toBe('42');
    expect(normalizeSeed((1n << 64n) - 1n)).toBe('18446744073709551615');
    for (const bad of [-1, 1.5, '0x10', '', 1n << 64n, '-3']) {
      expect(() => normalizeSeed(bad)).toThrow(SynthError);
    }
  });
});

describe('entity independence', () => {
  it('regenerates any rider alone, identical to the whole population', () => {
    const city = generateCity({ seed: 5, scale: 'small' });
    const base = buildCityBase({ seed: 5, scale: 'small' });
    for (const i of [0, 17, city.truth.riders.length - 1]) {
      expect(riderAt(base.seed, base.params.demand, base.riders, base.paths, i)).toEqual(
        city.truth.riders[i],
      );
    }
  });

  it('adding zones does not change the draws of existing zones', () => {
    const few = generateZones('9', resolveParams('medium', { zones: { count: 10 } }).zones);
    const many = generateZones('9', resolveParams('medium', { zones: { count: 40 } }).zones);
    const firstTen = many.records.slice(0, 10).map((z) => z.population);
    expect(firstTen).toEqual(few.records.map((z) => z.population));
  });
});
