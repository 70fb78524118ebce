import { describe, expect, it } from 'vitest';
import { Prng } from './prng.js';

describe('Prng (xoshiro128**)', () => {
  it('matches the reference algorithm on state (1, 2, 3, 4)', () => {
    // Outputs of the reference C code (Blackman & Vigna) for s = {1, 2, 3, 4}.
    const rng = new Prng(1, 2, 3, 4);
    const out = Array.from({ length: 6 }, () => rng.nextU32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('replaces the all-zero fixed point', () => {
    const rng = new Prng(0, 0, 0, 0);
    const out = Array.from({ length: 8 }, () => rng.nextU32());
    expect(out.some((x) => x !== 0)).toBe(true);
  });

  it('is reproducible from the same bytes', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const a = Prng.fromBytes(bytes);
    const b = Prng.fromBytes(bytes);
    for (let i = 0; i < 100; i++) expect(a.nextU32()).toBe(b.nextU32());
    expect(() => Prng.fromBytes(new Uint8Array(8))).toThrow(RangeError);
  });

  it('draws floats in [0, 1) and integers in range with plausible moments', () => {
    const rng = new Prng(7, 11, 13, 17);
    let sum = 0;
    let sumSq = 0;
    const n = 20000;
    let floatsInRange = true;
    let intsInRange = true;
    for (let i = 0; i < n; i++) {
      const f = rng.nextFloat();
      floatsInRange &&= f >= 0 && f < 1;
      const k = rng.nextInt(10);
      intsInRange &&= Number.isInteger(k) && k >= 0 && k < 10;
      const z = rng.nextNormal();
      sum += z;
      sumSq += z * z;
    }
    expect(floatsInRange).toBe(true);
    expect(intsInRange).toBe(true);
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.05);
  });

  it('formats 64 random bits as 16 hex digits', () => {
    const rng = new Prng(1, 2, 3, 4);
    const hex = rng.nextHex64();
    expect(hex).toMatch(/^[0-9a-f]{16}$/);
    expect(hex).toBe('00002d0000000000');
  });
});
