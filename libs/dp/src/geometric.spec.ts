import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { geometricExpFast, geometricExpSlow } from './geometric.js';
import { Rational } from './rational.js';
import {
  TIMEOUT,
  chiSquareCheck,
  combine,
  expectMajority,
  geometricReference,
  meanCheck,
  sampleSize,
} from './statistical-checks.spec.js';

describe('geometric samplers', () => {
  it('refuse x <= 0 (Geometric(1) is not a distribution)', () => {
    const rng = seededRandom('geometric/params');
    const invalid = { code: 'invalid-parameter' };
    expect(() => geometricExpFast(rng, Rational.ZERO)).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() => geometricExpSlow(rng, Rational.of(-1))).toThrowError(
      expect.objectContaining(invalid),
    );
  });

  // T2: chi-square against (1-p) p^k and the mean within 5 SE, p = e^-gamma.
  const n = sampleSize(40_000, 1_000_000);
  for (const gamma of ['1/1000', '1/10', '1', '5']) {
    it(
      `T2 geometricExpFast(${gamma}) fits Geometric(exp(-${gamma})) (N = ${n})`,
      () => {
        const g = Rational.parse(gamma);
        const reference = geometricReference(Number(g.numerator) / Number(g.denominator));
        expectMajority(`T2/${gamma}`, (rng) => {
          const samples = Float64Array.from({ length: n }, () => Number(geometricExpFast(rng, g)));
          return combine([
            chiSquareCheck(`gamma ${gamma}`, samples, reference),
            meanCheck(`gamma ${gamma} mean`, samples, reference.mean, reference.variance),
          ]);
        });
      },
      TIMEOUT,
    );
  }

  it('geometricExpSlow agrees with the same law (gamma = 1, 3/2)', () => {
    for (const gamma of ['1', '3/2']) {
      const g = Rational.parse(gamma);
      const reference = geometricReference(Number(g.numerator) / Number(g.denominator));
      expectMajority(`geometric-slow/${gamma}`, (rng) => {
        const samples = Float64Array.from({ length: 20_000 }, () =>
          Number(geometricExpSlow(rng, g)),
        );
        return combine([
          chiSquareCheck(`slow ${gamma}`, samples, reference),
          meanCheck(`slow ${gamma} mean`, samples, reference.mean, reference.variance),
        ]);
      });
    }
  });
});
