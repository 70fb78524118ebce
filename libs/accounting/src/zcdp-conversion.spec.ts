import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational, laplaceEpsilon, pureEpsilonToRho } from '#concord/dp';
import { cdpDelta, cdpEpsilon, cdpEpsilonSimple, cdpRho } from './zcdp-conversion.js';

// T12 conversion known answers. `exact` values were computed with mpmath at 50 digits (bisection on
// the Renyi order to 1e-100, then on epsilon / rho); `printed` are the known values listed in
// docs/privacy.md, 'Accounting'.
// Each result must be within 1e-9 relative of the exact value and on the conservative side.

const FULL_SUITE = process.env.CONCORD_STATISTICAL_SUITE === 'full';

function expectConservative(actual: number, exact: number, direction: 'up' | 'down'): void {
  if (direction === 'up') expect(actual).toBeGreaterThanOrEqual(exact);
  else expect(actual).toBeLessThanOrEqual(exact);
  expect(Math.abs(actual - exact) / exact).toBeLessThanOrEqual(1e-9);
}

function expectPrinted(actual: number, printed: number, halfUnit: number): void {
  expect(Math.abs(actual - printed)).toBeLessThanOrEqual(halfUnit);
}

/**
 * Independent reference for T13: epsilon(rho, delta) = min over alpha of
 * alpha rho + (ln(1/delta) + (alpha - 1) ln(1 - 1/alpha) - ln(alpha)) / (alpha - 1)
 * (CKS20 Corollary 13 solved for epsilon), minimised by golden-section search in log(alpha - 1).
 * Any alpha gives an upper bound, so this reference can only be slightly above the exact value.
 */
function referenceEpsilon(rho: number, delta: number): number {
  const f = (t: number): number => {
    const alpha = 1 + Math.exp(t);
    return (
      alpha * rho +
      (-Math.log(delta) + (alpha - 1) * Math.log1p(-1 / alpha) - Math.log(alpha)) / (alpha - 1)
    );
  };
  let a = -30;
  let b = 30;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 300; i += 1) {
    const c = b - phi * (b - a);
    const d = a + phi * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  return Math.max(0, f((a + b) / 2));
}

describe('zCDP to (epsilon, delta) conversions (T12)', () => {
  it('delta(rho = 0.025, eps = 1) = 1.33613191e-6', () => {
    const delta = cdpDelta(0.025, 1);
    expectConservative(delta, 1.3361319064032224526e-6, 'up');
    expectPrinted(delta, 1.33613191e-6, 0.5e-14);
  });

  it('eps(rho = 0.025, delta = 1e-6) = 1.01407425', () => {
    const epsilon = cdpEpsilon(0.025, 1e-6);
    expectConservative(epsilon, 1.0140742547261279273, 'up');
    expectPrinted(epsilon, 1.01407425, 0.5e-8);
  });

  it('rho(eps = 1, delta = 1e-6) = 0.02435597 (rounded down: it is a budget)', () => {
    const rho = cdpRho(1, 1e-6);
    expectConservative(rho, 0.024355970359538372894, 'down');
    expectPrinted(rho, 0.02435597, 0.5e-8);
  });

  it('Census persons: eps(rho = (542/339)^2, delta = 1e-10) = 17.1436, rho given exactly', () => {
    const epsilon = cdpEpsilon(Rational.of(542 * 542, 339 * 339), 1e-10);
    expectConservative(epsilon, 17.143550743595923152, 'up');
    expectPrinted(epsilon, 17.1436, 0.5e-4);
  });

  it('the known-value table of epsilons at delta = 1e-6 and 1e-9', () => {
    const table: [string, number, number][] = [
      ['0.005', 0.429941468837, 0.564893284302],
      ['0.05', 1.47159475053, 1.88166029106],
      ['0.1', 2.14193892839, 2.71548188673],
      ['0.5', 5.22153444453, 6.47407002073],
      ['1.0', 7.76621662531, 9.52146367179],
    ];
    for (const [rho, at6, at9] of table) {
      // The references carry 12 digits: allow their own rounding (5e-12) below.
      for (const [delta, exact] of [
        [1e-6, at6],
        [1e-9, at9],
      ]) {
        const epsilon = cdpEpsilon(Rational.parse(rho), delta);
        expect(epsilon).toBeGreaterThanOrEqual(exact - 5e-12);
        expect(Math.abs(epsilon - exact) / exact).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it('simple bound eps = rho + 2 sqrt(rho ln(1/delta)) is rounded up and looser than the tight one', () => {
    const simple = cdpEpsilonSimple(0.025, 1e-6);
    expectConservative(simple, 1.2003940002383998091, 'up');
    expect(simple).toBeGreaterThan(cdpEpsilon(0.025, 1e-6));
  });

  it('DLap epsilon = D1 / b exactly (T12)', () => {
    expect(laplaceEpsilon(8n, '8').toString()).toBe('1');
    expect(laplaceEpsilon('3', '7/2').toString()).toBe('6/7');
  });

  it('pure epsilon converts to rho = eps^2/2 exactly', () => {
    expect(pureEpsilonToRho(Rational.parse('1.5')).toString()).toBe('9/8');
  });

  it('xi adds to epsilon: (xi, rho)-zCDP gives eps(rho) + xi', () => {
    const base = cdpEpsilon(0.05, 1e-9);
    const withXi = cdpEpsilon(0.05, 1e-9, 1e-6);
    expect(withXi).toBeGreaterThanOrEqual(base + 1e-6);
    expect(withXi - base - 1e-6).toBeLessThan(1e-14);
    expect(cdpDelta(0.05, withXi, 1e-6)).toBeLessThanOrEqual(1e-9);
  });

  it('edge cases: rho = 0, delta = 1, invalid input', () => {
    expect(cdpDelta(0, 1)).toBe(0);
    expect(cdpEpsilon(0, 1e-9)).toBe(0);
    expect(cdpDelta(0.1, 0)).toBeLessThanOrEqual(1);
    expect(cdpDelta(0.1, 0)).toBeGreaterThan(0);
    expect(cdpEpsilon(1e-12, 0.5)).toBeGreaterThanOrEqual(0);
    // A vanishing rho stays finite and positive (never NaN, never an exact 0 that could be low).
    expect(cdpDelta(Number.MIN_VALUE, 1)).toBeGreaterThan(0);
    expect(cdpDelta(Number.MIN_VALUE, 1)).toBeLessThan(1e-300);
    expect(cdpDelta(1e6, 1)).toBe(1);
    const invalid = { code: 'invalid-parameter' };
    expect(() => cdpDelta(-1, 1)).toThrowError(expect.objectContaining(invalid));
    expect(() => cdpEpsilon(0.1, 0)).toThrowError(expect.objectContaining(invalid));
    expect(() => cdpEpsilon(0.1, 1.5)).toThrowError(expect.objectContaining(invalid));
    expect(() => cdpRho(-1, 1e-6)).toThrowError(expect.objectContaining(invalid));
  });

  it('round trips conservatively: eps(rho(eps)) <= eps and rho(eps(rho)) <= rho', () => {
    for (const epsilon of [0.1, 1, 3, 10]) {
      expect(cdpEpsilon(cdpRho(epsilon, 1e-9), 1e-9)).toBeLessThanOrEqual(epsilon * (1 + 1e-12));
    }
    for (const rho of [0.001, 0.05, 2]) {
      expect(cdpRho(cdpEpsilon(rho, 1e-9), 1e-9)).toBeLessThanOrEqual(rho * (1 + 1e-12));
      expect(cdpRho(cdpEpsilon(rho, 1e-9), 1e-9)).toBeGreaterThanOrEqual(rho * (1 - 1e-9));
    }
  });

  it(`T13: reported epsilon is never below the independent reference (property)`, () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 20, noNaN: true }),
        fc.constantFrom(1e-5, 1e-6, 1e-9, 1e-10, 1e-12),
        (rho, delta) => {
          const reported = cdpEpsilon(rho, delta);
          const reference = referenceEpsilon(rho, delta);
          expect(reported).toBeGreaterThanOrEqual(reference * (1 - 1e-12));
          expect(Math.abs(reported - reference)).toBeLessThanOrEqual(1e-9 * reference + 1e-15);
          expect(cdpDelta(rho, reported)).toBeLessThanOrEqual(delta);
        },
      ),
      { numRuns: FULL_SUITE ? 10_000 : 1_000 },
    );
  });
});
