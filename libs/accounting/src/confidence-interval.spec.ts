import { describe, expect, it } from 'vitest';
import { Rational, calibrateDistributedGaussian, calibrateDistributedLaplace } from '#concord/dp';
import {
  intervalCoverage,
  intervalHalfWidth,
  smallestHalfWidth,
  totalNoiseVariance,
} from './confidence-interval.js';
import { discreteGaussianSumTail, discreteGaussianVariance } from './discrete-gaussian-sum.js';
import { discreteLaplaceTail } from './discrete-laplace-tail.js';
import { negativeBinomialDifferenceTail } from './negative-binomial-difference.js';
import {
  discreteGaussianSumNoise,
  discreteLaplaceNoise,
  polyaSumNoise,
  releasedNoiseLaw,
} from './noise-law.js';

// Brute-force references: pmfs by direct convolution of explicit tables (floats; moderate sizes).

function table(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

function convolve(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] += x * y)));
  return out;
}

/** Tail P(|X| > h) of a pmf centred at index `centre`, summed smallest terms first. */
function bruteTail(pmf: number[], centre: number, h: number): number {
  let sum = 0;
  for (let k = pmf.length - 1; k >= 0; k -= 1) if (Math.abs(k - centre) > h) sum += pmf[k];
  return sum;
}

function discreteGaussianPmf(s: number): { pmf: number[]; reach: number } {
  const reach = Math.ceil(40 * Math.sqrt(s)) + 20;
  const pmf = table(
    Array.from({ length: 2 * reach + 1 }, (_, i) => Math.exp(-((i - reach) ** 2) / (2 * s))),
  );
  return { pmf, reach };
}

function negativeBinomialPmf(r: number, gamma: number, length: number): number[] {
  const p = Math.exp(-gamma);
  const out = [Math.exp(r * Math.log(-Math.expm1(-gamma)))];
  for (let k = 0; k < length - 1; k += 1) out.push((out[k] * p * (k + r)) / (k + 1));
  return out;
}

function expectTailMatches(
  bound: (h: number) => number,
  reference: (h: number) => number,
  hs: number[],
): void {
  for (const h of hs) {
    const exact = reference(h);
    // Tails below 1e-30 matter to no interval; there the bound is dominated by the (added)
    // truncation bound of the tables.
    if (exact < 1e-30) continue;
    const upper = bound(h);
    expect(upper, `h = ${h}`).toBeGreaterThanOrEqual(exact * (1 - 1e-12));
    expect(Math.abs(upper - exact) / exact, `h = ${h}`).toBeLessThan(exact > 1e-12 ? 1e-9 : 1e-6);
  }
}

describe('error bars of the total released noise', () => {
  it('T21 half-width KATs: DDG total variance 240 -> 30; NB(3/2) difference b = 8 -> 29; DLap b = 8 -> 24', () => {
    expect(intervalHalfWidth(discreteGaussianSumNoise('80', 3), 0.05)).toBe(30);
    expect(intervalHalfWidth(polyaSumNoise('1/8', 3, 2), 0.05)).toBe(29);
    expect(intervalHalfWidth(discreteLaplaceNoise('1/8'), 0.05)).toBe(24);
    // docs/privacy.md's worked example ('Calibration'): 99% half-width 43 for the Polya release.
    expect(intervalHalfWidth(polyaSumNoise('1/8', 3, 2), 0.01)).toBe(43);
  });

  it('the KAT half-widths are minimal: one less would under-cover (exact coverages from mpmath)', () => {
    // mpmath exact convolutions: DDG 29 -> 0.943161, 30 -> 0.951059; NB 28 -> 0.948225, 29 -> 0.953764;
    // DLap 23 -> 0.947105, 24 -> 0.953321.
    const ddg = discreteGaussianSumNoise('80', 3);
    expect(intervalCoverage(ddg, 30)).toBeCloseTo(0.951059356999, 9);
    expect(intervalCoverage(ddg, 29)).toBeLessThan(0.95);
    const polya = polyaSumNoise('1/8', 3, 2);
    expect(intervalCoverage(polya, 29)).toBeCloseTo(0.953763521786, 9);
    expect(intervalCoverage(polya, 28)).toBeLessThan(0.95);
    expect(intervalCoverage(discreteLaplaceNoise('1/8'), 24)).toBeCloseTo(0.953320578044, 9);
    expect(intervalCoverage(discreteLaplaceNoise('1/8'), 23)).toBeLessThan(0.95);
  });

  it('DDG sums: closed-form tails equal brute-force convolutions (n = 1, 2, 3; narrow and wide shares)', () => {
    for (const s of [0.25, 0.7, 1, 3, 80]) {
      const { pmf, reach } = discreteGaussianPmf(s);
      let sum = pmf;
      for (let n = 1; n <= 3; n += 1) {
        if (n > 1) sum = convolve(sum, pmf);
        const centre = n * reach;
        const sd = Math.sqrt(n * s);
        const hs = [
          0,
          1,
          2,
          Math.round(sd),
          Math.round(2 * sd),
          Math.round(4 * sd),
          Math.round(8 * sd),
        ];
        const bound = discreteGaussianSumTail(s, n);
        const frozen = sum;
        expectTailMatches(bound, (h) => bruteTail(frozen, centre, h), hs);
      }
    }
  });

  it('Polya sums: NB(r) - NB(r) tails equal brute-force convolutions', () => {
    for (const [r, gamma] of [
      [0.5, 1],
      [1.5, 1 / 8],
      [2 / 3, 1 / 3],
      [3, 0.05],
    ]) {
      const a = negativeBinomialPmf(r, gamma, Math.ceil(80 / gamma) + 200);
      const difference = convolve(a, [...a].reverse());
      const centre = a.length - 1;
      const bound = negativeBinomialDifferenceTail(gamma, r);
      expectTailMatches(
        bound,
        (h) => bruteTail(difference, centre, h),
        [0, 1, 3, 10, 30, 100, 300],
      );
    }
  });

  it('DLap tail is the closed form 2 p^(h+1) / (1 + p), rounded up', () => {
    const gamma = 0.3;
    const p = Math.exp(-gamma);
    expectTailMatches(
      discreteLaplaceTail(gamma),
      (h) => (2 * p ** (h + 1)) / (1 + p),
      [0, 1, 5, 50, 500],
    );
  });

  it('exact variances: DDG 240 for three N_Z(0, 80) shares; NB(3/2) difference 191.75; DLap', () => {
    const ddg = totalNoiseVariance(discreteGaussianSumNoise('80', 3));
    expect(ddg).toBeGreaterThanOrEqual(240);
    expect(ddg - 240).toBeLessThan(1e-9);
    const polya = totalNoiseVariance(polyaSumNoise('1/8', 3, 2));
    expect(polya).toBeGreaterThanOrEqual(191.750195191465);
    expect(polya).toBeCloseTo(191.750195191465, 9);
    const p = Math.exp(-1 / 8);
    expect(totalNoiseVariance(discreteLaplaceNoise('1/8'))).toBeCloseTo((2 * p) / (1 - p) ** 2, 9);
    // Below sigma^2 for narrow discrete Gaussians (CKS20): exact value by direct summation.
    const { pmf, reach } = discreteGaussianPmf(0.25);
    const brute = pmf.reduce((acc, x, i) => acc + x * (i - reach) ** 2, 0);
    expect(discreteGaussianVariance(0.25)).toBeGreaterThanOrEqual(brute);
    expect((discreteGaussianVariance(0.25) - brute) / brute).toBeLessThan(1e-12);
  });

  it('is fast and sane for sigma^2 up to 1e10', () => {
    const started = performance.now();
    const h = intervalHalfWidth(discreteGaussianSumNoise(Rational.of(10n ** 10n, 3n), 3), 0.05);
    // Continuous approximation: 1.959964 * 1e5 less the half-integer continuity correction.
    expect(Math.abs(h - 195996)).toBeLessThanOrEqual(1);
    expect(intervalHalfWidth(discreteGaussianSumNoise(Rational.of(10n ** 10n), 1), 0.05)).toBe(h);
    expect(performance.now() - started).toBeLessThan(20_000); // not a timing assertion: a hang guard
  });

  it('builds the released law from a calibration (all n shares)', () => {
    const ddg = calibrateDistributedGaussian({ rho: '0.05', l2SensitivitySquared: 16n });
    expect(releasedNoiseLaw(ddg)).toEqual(discreteGaussianSumNoise('80', 3));
    const polya = calibrateDistributedLaplace({ epsilon: '1', l1Sensitivity: 8n });
    expect(releasedNoiseLaw(polya)).toEqual(polyaSumNoise('1/8', 3, 2));
  });

  it('smallestHalfWidth finds the first h with tail <= alpha and validates alpha', () => {
    expect(smallestHalfWidth((h) => 1 / (h + 1), 0.1)).toBe(9);
    expect(smallestHalfWidth(() => 0, 0.1)).toBe(0);
    const invalid = { code: 'invalid-parameter' };
    expect(() => smallestHalfWidth(() => 0, 0)).toThrowError(expect.objectContaining(invalid));
    expect(() => smallestHalfWidth(() => 0, 1)).toThrowError(expect.objectContaining(invalid));
    expect(() => discreteGaussianSumNoise('0', 3)).toThrowError(expect.objectContaining(invalid));
    expect(() => discreteGaussianSumTail(1, 4)).toThrowError(
      expect.objectContaining({ code: 'unsupported' }),
    );
  });
});
