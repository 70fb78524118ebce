import { describe, expect, it } from 'vitest';
import { DEFAULT_JIFF_LIMITS } from './limits.js';
import { isProbablePrime, parseZp } from './zp.js';

describe('parseZp', () => {
  it('keeps the type the client used', () => {
    expect(parseZp(16777729, DEFAULT_JIFF_LIMITS)).toEqual({
      value: 16777729n,
      kind: 'number',
      raw: 16777729,
    });
    expect(parseZp('2305843009213693951', DEFAULT_JIFF_LIMITS).kind).toBe('string');
  });

  it('refuses numeric Zp above the double-safe limit and oversized strings', () => {
    expect(() => parseZp(2 ** 50, DEFAULT_JIFF_LIMITS)).toThrow(
      expect.objectContaining({ code: 'invalid-zp' }),
    );
    expect(() => parseZp('9'.repeat(200), DEFAULT_JIFF_LIMITS)).toThrow(
      expect.objectContaining({ code: 'invalid-zp' }),
    );
    expect(() => parseZp(1, DEFAULT_JIFF_LIMITS)).toThrow(
      expect.objectContaining({ code: 'invalid-zp' }),
    );
    expect(() => parseZp(null, DEFAULT_JIFF_LIMITS)).toThrow(
      expect.objectContaining({ code: 'invalid-zp' }),
    );
  });
});

describe('isProbablePrime', () => {
  it('accepts the primes JIFF deployments use', () => {
    for (const p of [
      2n,
      3n,
      16777729n,
      94906249n,
      2n ** 31n - 1n,
      2n ** 61n - 1n,
      2n ** 89n - 1n,
      2n ** 127n - 1n,
    ]) {
      expect(isProbablePrime(p)).toBe(true);
    }
  });

  it('rejects composites, including Carmichael numbers and strong pseudoprimes to small bases', () => {
    for (const n of [
      0n,
      1n,
      4n,
      561n,
      41041n,
      16777728n,
      3215031751n,
      3825123056546413051n,
      (2n ** 61n - 1n) * 3n,
    ]) {
      expect(isProbablePrime(n)).toBe(false);
    }
  });
});
