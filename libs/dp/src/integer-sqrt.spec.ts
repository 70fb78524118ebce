import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integerSqrt } from './integer-sqrt.js';

describe('integerSqrt', () => {
  it('is the floor of the square root (property, up to 2^200)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 200n }), (n) => {
        const r = integerSqrt(n);
        expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('is exact at perfect squares and their neighbours', () => {
    for (const r of [0n, 1n, 2n, 3n, 99_999n, 10n ** 5n, (1n << 64n) + 7n]) {
      expect(integerSqrt(r * r)).toBe(r);
      if (r > 0n) expect(integerSqrt(r * r - 1n)).toBe(r - 1n);
      expect(integerSqrt(r * r + 2n * r)).toBe(r);
    }
  });

  it('refuses negative input', () => {
    expect(() => integerSqrt(-1n)).toThrowError(
      expect.objectContaining({ code: 'invalid-parameter' }),
    );
  });
});
