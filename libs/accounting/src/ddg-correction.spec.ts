import { describe, expect, it } from 'vitest';
import { Rational } from '#concord/dp';
import { XI_FLOOR, ddgTau, ddgXi } from './ddg-correction.js';
import { rationalFromFloat } from './float-bounds.js';

describe('distributed discrete Gaussian correction tau (KLS21)', () => {
  it('T12: tau(h = 2, sigma_s^2 = 4) = 7.157e-17, rounded up', () => {
    const tau = ddgTau(4, 2);
    const exact = 7.1571658351860411364e-17; // mpmath
    expect(tau).toBeGreaterThanOrEqual(exact);
    expect((tau - exact) / exact).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(tau - 7.157e-17)).toBeLessThanOrEqual(0.0005e-17);
  });

  it('known values for m = 2 at sigma_s^2 = 1, 2, 9', () => {
    const plain = 10 * Math.exp(-(Math.PI ** 2));
    expect(ddgTau(1, 2)).toBeGreaterThanOrEqual(plain);
    expect((ddgTau(1, 2) - plain) / plain).toBeLessThan(1e-13);
    expect(ddgTau(1, 2).toExponential(1)).toBe('5.2e-4');
    expect(ddgTau(2, 2).toExponential(1)).toBe('2.7e-8');
    // 2.6495e-38 (mpmath), i.e. 2.65e-38 rounded up, as docs/privacy.md ('Accounting') lists it.
    expect(ddgTau(9, 2).toExponential(3)).toBe('2.650e-38');
    expect(ddgTau(4, 1)).toBeGreaterThan(0); // one share: no correction term, only the ulp push
    expect(ddgTau(4, 1)).toBeLessThan(1e-300);
  });

  it('xi = tau d as a rational rounded up, floored at 1e-30 when tau underflows', () => {
    const xi = ddgXi(Rational.of(4), 2, 10);
    expect(xi.gte(rationalFromFloat(ddgTau(4, 2) * 10))).toBe(true);
    expect(xi.equals(Rational.parse('7.158e-16'))).toBe(true);
    expect(ddgXi(Rational.of(80), 2, 1).equals(XI_FLOOR)).toBe(true);
    expect(ddgXi(Rational.of(80), 2, 0).isZero()).toBe(true);
    expect(() => ddgXi(Rational.of(4), 2, -1)).toThrowError(
      expect.objectContaining({ code: 'invalid-parameter' }),
    );
  });
});
