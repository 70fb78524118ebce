import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { type PolyaStatistics, distributedLaplaceShare, polya, polyaFraction } from './polya.js';
import { Rational } from './rational.js';
import {
  TIMEOUT,
  chiSquareCheck,
  combine,
  discreteLaplaceReference,
  expectMajority,
  geometricReference,
  negativeBinomialTable,
  proportionCheck,
  sampleSize,
} from './statistical-checks.spec.js';

describe('polya (negative-binomial shares)', () => {
  it('refuses invalid m and gamma', () => {
    const rng = seededRandom('polya/params');
    const invalid = { code: 'invalid-parameter' };
    expect(() => polya(rng, 0, Rational.ONE)).toThrowError(expect.objectContaining(invalid));
    expect(() => polya(rng, 1.5, Rational.ONE)).toThrowError(expect.objectContaining(invalid));
    expect(() => polya(rng, 2, Rational.ZERO)).toThrowError(expect.objectContaining(invalid));
    expect(() => distributedLaplaceShare(rng, Rational.of(-1), 2)).toThrowError(
      expect.objectContaining(invalid),
    );
  });

  // T5 for b in {1, 8, 100}: each draw is (A1, A2, B1, B2) ~ NB(1/2, p) i.i.d.
  // - A1 against the NB(1/2) pmf;
  // - A1 + A2 against Geometric(p) (pair-sum property: two honest shares make a geometric);
  // - (A1 + A2) - (B1 + B2) against DLap(p) (what two honest parties' noise sums to);
  // - acceptance rate within 5 SE of sqrt(1 - p).
  const cases: [string, number][] = [
    ['1', sampleSize(20_000, 1_000_000)],
    ['8', sampleSize(10_000, 1_000_000)],
    ['100', sampleSize(2_000, 1_000_000)],
  ];
  for (const [scale, n] of cases) {
    it(
      `T5 NB(1/2, exp(-1/${scale})) shares: pmf, pair sum, difference, acceptance (N = ${n})`,
      () => {
        const gammaRational = Rational.of(1n, BigInt(scale));
        const gamma = 1 / Number(scale);
        const nb = negativeBinomialTable(0.5, gamma);
        const geometric = geometricReference(gamma);
        const dlap = discreteLaplaceReference(gamma);
        expectMajority(`T5/${scale}`, (rng) => {
          const statistics: PolyaStatistics = { proposals: 0 };
          const draw = (): number =>
            Number(
              polyaFraction(
                rng,
                2n,
                gammaRational.numerator,
                gammaRational.denominator,
                statistics,
              ),
            );
          const singles = new Float64Array(n);
          const pairs = new Float64Array(n);
          const differences = new Float64Array(n);
          for (let i = 0; i < n; i += 1) {
            const a1 = draw();
            const a2 = draw();
            const b1 = draw();
            const b2 = draw();
            singles[i] = a1;
            pairs[i] = a1 + a2;
            differences[i] = a1 + a2 - (b1 + b2);
          }
          return combine([
            chiSquareCheck(`b ${scale} NB(1/2)`, singles, nb),
            chiSquareCheck(`b ${scale} A1 + A2 vs Geometric`, pairs, geometric),
            chiSquareCheck(`b ${scale} (A1 + A2) - (B1 + B2) vs DLap`, differences, dlap),
            proportionCheck(
              `b ${scale} acceptance`,
              4 * n,
              statistics.proposals,
              Math.sqrt(-Math.expm1(-gamma)),
            ),
          ]);
        });
      },
      TIMEOUT,
    );
  }

  it('distributedLaplaceShare is A - B: two shares for h = 2 sum to DLap(p)', () => {
    const gamma = Rational.of(1, 3);
    const reference = discreteLaplaceReference(1 / 3);
    expectMajority('polya/share-pair', (rng) => {
      const samples = Float64Array.from({ length: 10_000 }, () =>
        Number(distributedLaplaceShare(rng, gamma, 2) + distributedLaplaceShare(rng, gamma, 2)),
      );
      return chiSquareCheck('two shares', samples, reference);
    });
  });

  it('m = 1 is plain Geometric(p) (NB(1))', () => {
    const reference = geometricReference(1 / 4);
    expectMajority('polya/m1', (rng) => {
      const samples = Float64Array.from({ length: 10_000 }, () =>
        Number(polya(rng, 1, Rational.of(1, 4))),
      );
      return chiSquareCheck('m = 1', samples, reference);
    });
  });
});
