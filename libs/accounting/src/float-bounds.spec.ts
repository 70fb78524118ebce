import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational } from '#concord/dp';
import {
  deflate,
  inflate,
  nextDown,
  nextUp,
  rationalFromFloat,
  rationalToFloatDown,
  rationalToFloatUp,
} from './float-bounds.js';

describe('directed rounding primitives', () => {
  it('nextUp / nextDown step one ulp', () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
    expect(nextUp(-Number.MIN_VALUE)).toBe(-0);
    expect(nextUp(Number.MAX_VALUE)).toBe(Infinity);
    expect(inflate(1, 0)).toBeGreaterThan(1);
    expect(deflate(1, 0)).toBeLessThan(1);
  });

  it('rationalFromFloat is exact', () => {
    expect(rationalFromFloat(0.5).toString()).toBe('1/2');
    expect(rationalFromFloat(-3).toString()).toBe('-3');
    expect(rationalFromFloat(0.1).toString()).toBe('3602879701896397/36028797018963968');
    expect(rationalFromFloat(Number.MIN_VALUE).equals(Rational.of(1n, 1n << 1074n))).toBe(true);
    expect(rationalFromFloat(2 ** 60).toString()).toBe((1n << 60n).toString());
    expect(() => rationalFromFloat(NaN)).toThrowError(
      expect.objectContaining({ code: 'invalid-parameter' }),
    );
  });

  it('rationalToFloatUp / Down bracket the rational by adjacent doubles (property)', () => {
    const rational = fc
      .tuple(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.bigInt({ min: 1n, max: 10n ** 40n }),
      )
      .map(([n, d]) => Rational.of(n, d));
    fc.assert(
      fc.property(rational, (r) => {
        const up = rationalToFloatUp(r);
        const down = rationalToFloatDown(r);
        expect(rationalFromFloat(up).gte(r)).toBe(true);
        expect(rationalFromFloat(down).lte(r)).toBe(true);
        expect(up === down || nextUp(down) === up).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // The double nearest 1/3 is 0.33333333333333331483... < 1/3.
    expect(rationalToFloatDown(Rational.of(1, 3))).toBe(1 / 3);
    expect(rationalToFloatUp(Rational.of(1, 3))).toBe(nextUp(1 / 3));
    expect(rationalToFloatUp(Rational.of(1, 2))).toBe(0.5);
    expect(rationalToFloatDown(Rational.of(1, 2))).toBe(0.5);
    expect(rationalToFloatUp(Rational.of(10n ** 400n))).toBe(Infinity);
    expect(rationalToFloatDown(Rational.of(10n ** 400n))).toBe(Number.MAX_VALUE);
    expect(rationalToFloatUp(Rational.of(1n, 10n ** 400n))).toBe(Number.MIN_VALUE);
    expect(rationalToFloatDown(Rational.of(1n, 10n ** 400n))).toBe(0);
  });
});
