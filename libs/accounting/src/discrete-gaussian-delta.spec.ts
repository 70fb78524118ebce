import { describe, expect, it } from 'vitest';
import { Rational } from '#concord/dp';
import { discreteGaussianDelta } from './discrete-gaussian-delta.js';
import { cdpDelta } from './zcdp-conversion.js';

/** Two-tail form of CKS20 Theorem 7 by direct summation, for moderate sigma2 (test reference). */
function bruteDelta(sigma2: number, d: number, eps: number): number {
  const reach = Math.ceil(40 * Math.sqrt(sigma2)) + 40;
  let z = 0;
  for (let k = -reach; k <= reach; k += 1) z += Math.exp(-(k * k) / (2 * sigma2));
  const tail = (x: number): number => {
    let s = 0;
    for (let k = reach; k > x; k -= 1) s += Math.exp(-(k * k) / (2 * sigma2));
    return s / z;
  };
  return tail((eps * sigma2) / d - d / 2) - Math.exp(eps) * tail((eps * sigma2) / d + d / 2);
}

describe('exact discrete Gaussian delta (CKS20 Theorem 7)', () => {
  it('T12: sigma2 = 20, D = 1, eps = 1 gives 3.0424e-7 (vs 1.336e-6 from the zCDP bound)', () => {
    const delta = discreteGaussianDelta(20, 1, 1);
    const exact = 3.0424390409284891444e-7; // mpmath, 50 digits
    expect(delta).toBeGreaterThanOrEqual(exact);
    expect((delta - exact) / exact).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(delta - 3.0424e-7)).toBeLessThanOrEqual(0.00005e-7);
    expect(delta).toBeLessThan(cdpDelta(1 / 40, 1));
  });

  it('T8 threshold: sigma2 = 10, eps = 0.5 gives 0.00996; honest variance 20/3 gives 0.0227', () => {
    const exact = 0.0099632806305865020178;
    const delta = discreteGaussianDelta(10, 1, 0.5);
    expect(delta).toBeGreaterThanOrEqual(exact);
    expect((delta - exact) / exact).toBeLessThanOrEqual(1e-9);
    const miscalibrated = discreteGaussianDelta(Rational.of(20, 3), 1, 0.5);
    expect(miscalibrated).toBeGreaterThanOrEqual(0.022706600270398615982);
    expect(miscalibrated).toBeLessThan(0.0227067);
  });

  it('agrees with the two-tail form where that is accurate, and is never below it', () => {
    for (const [sigma2, d, eps] of [
      [0.5, 1, 0.5],
      [3, 2, 1],
      [50, 3, 0.2],
      [200, 1, 0.1],
    ]) {
      const brute = bruteDelta(sigma2, d, eps);
      const delta = discreteGaussianDelta(sigma2, d, eps);
      expect(delta).toBeGreaterThanOrEqual(brute * (1 - 1e-12));
      expect(Math.abs(delta - brute) / brute).toBeLessThan(1e-9);
    }
  });

  it('handles huge sigma2 and refuses bad input', () => {
    expect(discreteGaussianDelta(1e10, 1, 1e-5)).toBeGreaterThan(0);
    expect(discreteGaussianDelta(1e10, 1, 1)).toBeGreaterThan(0);
    expect(discreteGaussianDelta(1e10, 1, 1)).toBeLessThan(1e-300);
    const invalid = { code: 'invalid-parameter' };
    expect(() => discreteGaussianDelta(0, 1, 1)).toThrowError(expect.objectContaining(invalid));
    expect(() => discreteGaussianDelta(1, 0, 1)).toThrowError(expect.objectContaining(invalid));
    expect(() => discreteGaussianDelta(1, 1, -1)).toThrowError(expect.objectContaining(invalid));
  });
});
