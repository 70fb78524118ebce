import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { discreteGaussian } from './discrete-gaussian.js';
import { Rational } from './rational.js';
import {
  TIMEOUT,
  discreteGaussianBattery,
  discreteGaussianTable,
  expectMajority,
  sampleSize,
} from './statistical-checks.spec.js';

describe('discreteGaussian', () => {
  it('refuses a non-positive variance', () => {
    const rng = seededRandom('dg/params');
    const invalid = { code: 'invalid-parameter' };
    expect(() => discreteGaussian(rng, Rational.ZERO)).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() => discreteGaussian(rng, Rational.of(-4))).toThrowError(
      expect.objectContaining(invalid),
    );
  });

  // T4: chi-square against the exact N_Z pmf on quantile bins, per integer and per residue class;
  // the mean within 5 SE of 0; the variance against the exact discrete variance (below sigma2 for
  // small sigma2) within 5 sqrt((E[X^4] - Var^2)/N). sigma2 = 10^6 is sized (N = 2 * 10^5) so that
  // the per-integer check has single-integer bins (about 3,300 of them, each expecting >= 20);
  // at sigma2 = 10^10 the residue classes carry the fine structure instead.
  const cases: [string, number][] = [
    ['1/4', sampleSize(20_000, 1_000_000)],
    ['1', sampleSize(20_000, 1_000_000)],
    ['4', sampleSize(20_000, 1_000_000)],
    ['80', sampleSize(20_000, 1_000_000)],
    ['10000', sampleSize(20_000, 1_000_000)],
    ['1000000', sampleSize(200_000, 1_000_000)],
    ['10000000000', sampleSize(10_000, 100_000)],
  ];
  for (const [sigma2, n] of cases) {
    it(
      `T4 discreteGaussian(sigma2 = ${sigma2}) passes the battery (N = ${n})`,
      () => {
        const s = Rational.parse(sigma2);
        const table = discreteGaussianTable(Number(s.numerator) / Number(s.denominator));
        expectMajority(`T4/${sigma2}`, (rng) => {
          const samples = Float64Array.from({ length: n }, () => Number(discreteGaussian(rng, s)));
          return discreteGaussianBattery(`sigma2 ${sigma2}`, samples, table);
        });
      },
      TIMEOUT,
    );
  }

  it('the exact discrete variance is visibly below sigma2 at sigma2 = 1/4 (why T4 uses it)', () => {
    expect(discreteGaussianTable(0.25).variance).toBeLessThan(0.25 * 0.9);
  });
});
