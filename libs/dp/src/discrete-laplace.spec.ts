import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { discreteLaplace } from './discrete-laplace.js';
import { Rational } from './rational.js';
import {
  TIMEOUT,
  discreteLaplaceBattery,
  expectMajority,
  sampleSize,
} from './statistical-checks.spec.js';

describe('discreteLaplace', () => {
  it('refuses a non-positive scale instead of returning un-noised values', () => {
    const rng = seededRandom('dlap/params');
    const invalid = { code: 'invalid-parameter' };
    expect(() => discreteLaplace(rng, Rational.ZERO)).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() => discreteLaplace(rng, Rational.of(-1))).toThrowError(
      expect.objectContaining(invalid),
    );
  });

  // T3: chi-square, P(0), sign symmetry and variance for b in {1/2, 1, 8, 100, 10^6}.
  const n = sampleSize(40_000, 1_000_000);
  for (const scale of ['1/2', '1', '8', '100', '1000000']) {
    it(
      `T3 discreteLaplace(b = ${scale}) passes the battery (N = ${n})`,
      () => {
        const b = Rational.parse(scale);
        const gamma = Number(b.denominator) / Number(b.numerator);
        expectMajority(`T3/${scale}`, (rng) => {
          const samples = Float64Array.from({ length: n }, () => Number(discreteLaplace(rng, b)));
          return discreteLaplaceBattery(`b ${scale}`, samples, gamma);
        });
      },
      TIMEOUT,
    );
  }
});
