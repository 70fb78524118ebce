import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DpError } from './dp-error.js';
import { Rational } from './rational.js';

const rational = fc
  .tuple(
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
    fc.bigInt({ min: 1n, max: 10n ** 20n }),
  )
  .map(([n, d]) => Rational.of(n, d));

describe('Rational', () => {
  it('normalises sign and common factors', () => {
    const r = Rational.of(6n, -4n);
    expect([r.numerator, r.denominator]).toEqual([-3n, 2n]);
    expect(Rational.of(0n, -7n).toString()).toBe('0');
    expect(Rational.of(10, 5).toString()).toBe('2');
  });

  it('parses fractions, integers and decimals exactly', () => {
    expect(Rational.parse('1/100').toString()).toBe('1/100');
    expect(Rational.parse('-6/4').toString()).toBe('-3/2');
    expect(Rational.parse('0.05').toString()).toBe('1/20');
    expect(Rational.parse('0.1').equals(Rational.of(1, 10))).toBe(true);
    expect(Rational.parse('1e-9').toString()).toBe('1/1000000000');
    expect(Rational.parse('-2.5E3').toString()).toBe('-2500');
    expect(Rational.parse('17').toString()).toBe('17');
  });

  it('refuses malformed text, zero denominators and huge exponents with typed errors', () => {
    for (const text of ['', '1/0', '0x10', '1.', '.5', '1 / 2', 'NaN', '1e99999']) {
      expect(() => Rational.parse(text), text).toThrow(DpError);
    }
    expect(() => Rational.of(1n, 0n)).toThrowError(
      expect.objectContaining({ code: 'division-by-zero' }),
    );
    expect(() => Rational.of(0.5)).toThrowError(
      expect.objectContaining({ code: 'invalid-rational' }),
    );
    expect(() => Rational.ONE.div(Rational.ZERO)).toThrowError(
      expect.objectContaining({ code: 'division-by-zero' }),
    );
  });

  it('floor and ceil are correct for negative non-integers', () => {
    expect(Rational.of(-7n, 2n).floor()).toBe(-4n);
    expect(Rational.of(-7n, 2n).ceil()).toBe(-3n);
    expect(Rational.of(7n, 2n).floor()).toBe(3n);
    expect(Rational.of(7n, 2n).ceil()).toBe(4n);
    expect(Rational.of(-4n).floor()).toBe(-4n);
  });

  it('satisfies the field laws and a total order (property)', () => {
    fc.assert(
      fc.property(rational, rational, rational, (a, b, c) => {
        expect(a.add(b).sub(b).equals(a)).toBe(true);
        expect(a.mul(b.add(c)).equals(a.mul(b).add(a.mul(c)))).toBe(true);
        if (!b.isZero()) expect(a.div(b).mul(b).equals(a)).toBe(true);
        expect(a.compare(b)).toBe(-b.compare(a));
        expect(a.lt(b) || a.equals(b) || a.gt(b)).toBe(true);
        if (a.lte(b) && b.lte(c)) expect(a.lte(c)).toBe(true);
        const f = a.floor();
        expect(Rational.of(f).lte(a) && a.lt(Rational.of(f + 1n))).toBe(true);
        expect(a.ceil() - f).toBe(a.isInteger() ? 0n : 1n);
        expect(Rational.parse(a.toString()).equals(a)).toBe(true);
        expect(JSON.stringify({ a })).toBe(JSON.stringify({ a: a.toString() }));
      }),
      { numRuns: 500 },
    );
  });

  it('min, max, abs, sign, reciprocal', () => {
    const a = Rational.of(-3, 4);
    const b = Rational.of(2, 3);
    expect(Rational.min(a, b)).toBe(a);
    expect(Rational.max(a, b)).toBe(b);
    expect(a.abs().toString()).toBe('3/4');
    expect([a.sign(), Rational.ZERO.sign(), b.sign()]).toEqual([-1, 0, 1]);
    expect(a.reciprocal().toString()).toBe('-4/3');
    expect(Rational.from(5n).add('1/2').toString()).toBe('11/2');
  });
});
