import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational } from '#concord/dp';
import {
  ceilToDecimalPlaces,
  ceilToSignificantDigits,
  floorToDecimalPlaces,
  floorToSignificantDigits,
  toDecimalString,
} from './decimal.js';

describe('exact decimal rounding', () => {
  it('rounds to places and significant digits in the stated direction', () => {
    const third = Rational.of(1, 3);
    expect(toDecimalString(ceilToDecimalPlaces(third, 4))).toBe('0.3334');
    expect(toDecimalString(floorToDecimalPlaces(third, 4))).toBe('0.3333');
    expect(toDecimalString(ceilToSignificantDigits(Rational.of(-2, 3), 3))).toBe('-0.666');
    expect(toDecimalString(floorToSignificantDigits(Rational.of(-2, 3), 3))).toBe('-0.667');
    expect(toDecimalString(ceilToSignificantDigits(Rational.parse('123456'), 2))).toBe('130000');
    expect(toDecimalString(ceilToSignificantDigits(Rational.parse('0.00012301'), 3))).toBe(
      '0.000124',
    );
    expect(toDecimalString(ceilToSignificantDigits(Rational.parse('1000'), 1))).toBe('1000');
    expect(toDecimalString(Rational.parse('-0.05'))).toBe('-0.05');
    expect(() => toDecimalString(third, 50)).toThrowError(
      expect.objectContaining({ code: 'invalid-parameter' }),
    );
  });

  it('ceil is >= and floor is <=, within one unit of the last digit (property)', () => {
    const rational = fc
      .tuple(
        fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
        fc.bigInt({ min: 1n, max: 10n ** 25n }),
      )
      .map(([n, d]) => Rational.of(n, d))
      .filter((r) => !r.isZero());
    fc.assert(
      fc.property(rational, fc.integer({ min: 1, max: 20 }), (r, digits) => {
        const up = ceilToSignificantDigits(r, digits);
        const down = floorToSignificantDigits(r, digits);
        expect(up.gte(r) && down.lte(r)).toBe(true);
        // Text round trip is exact.
        expect(Rational.parse(toDecimalString(up)).equals(up)).toBe(true);
        expect(
          up.sub(down).lte(
            up
              .abs()
              .add(down.abs())
              .mul(Rational.of(1n, 10n ** BigInt(digits - 1))),
          ),
        ).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
