import { describe, expect, it } from 'vitest';
import { bufferedRandom, randomBelow, randomBytes, seededRandom, systemRandom } from './random.js';

describe('seededRandom', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = randomBytes(seededRandom('s1'), 64);
    expect(randomBytes(seededRandom('s1'), 64)).toEqual(a);
    expect(randomBytes(seededRandom('s2'), 64)).not.toEqual(a);
  });

  it('delivers one continuous stream whatever the read sizes', () => {
    const whole = randomBytes(seededRandom('stream'), 100);
    const rng = seededRandom('stream');
    const parts = [randomBytes(rng, 7), randomBytes(rng, 50), randomBytes(rng, 43)];
    expect(Buffer.concat(parts)).toEqual(Buffer.from(whole));
  });
});

describe('bufferedRandom', () => {
  it('preserves the wrapped stream exactly, across small and large reads', () => {
    const whole = randomBytes(seededRandom('buf'), 300);
    const rng = bufferedRandom(seededRandom('buf'), 16);
    const parts = [
      randomBytes(rng, 3),
      randomBytes(rng, 40),
      randomBytes(rng, 5),
      randomBytes(rng, 252),
    ];
    expect(Buffer.concat(parts)).toEqual(Buffer.from(whole));
  });
});

describe('randomBelow', () => {
  it('stays in range and hits every value of a small range', () => {
    const rng = seededRandom('below');
    const seen = new Set<bigint>();
    for (let i = 0; i < 2000; i++) {
      const v = randomBelow(rng, 7n);
      expect(v >= 0n && v < 7n).toBe(true);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
  });

  it('is roughly uniform (chi-square on 10 bins, fixed seed)', () => {
    const rng = seededRandom('chi');
    const counts = new Array<number>(10).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[Number(randomBelow(rng, 10n))]++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(33.7); // p = 1e-4 for 9 degrees of freedom
  });

  it('handles bounds beyond 64 bits and rejects non-positive bounds', () => {
    const big = (1n << 127n) - 1n;
    expect(randomBelow(systemRandom, big) < big).toBe(true);
    expect(randomBelow(systemRandom, 1n)).toBe(0n);
    expect(() => randomBelow(systemRandom, 0n)).toThrow(RangeError);
  });
});
