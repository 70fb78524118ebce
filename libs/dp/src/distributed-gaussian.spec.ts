import { describe, it } from 'vitest';
import { discreteGaussian } from './discrete-gaussian.js';
import { Rational } from './rational.js';
import {
  TIMEOUT,
  chiSquareCheck,
  combine,
  convolve,
  discreteGaussianTable,
  expectMajority,
  sampleSize,
  zeroMeanVarianceCheck,
} from './statistical-checks.spec.js';

// T6: the distributed discrete Gaussian. Two honest shares N_Z(0, s) sum to (very nearly; the
// difference is what tau accounts for) N_Z(0, 2s); three shares (what the analyst sees) follow the
// exact 3-fold convolution.
describe('distributed discrete Gaussian shares (T6)', () => {
  const n = sampleSize(15_000, 1_000_000);
  for (const shareSigma2 of [4, 80]) {
    it(
      `T6 sigma_s^2 = ${shareSigma2}: pair sum vs N_Z(0, ${2 * shareSigma2}), triple vs exact convolution (N = ${n})`,
      () => {
        const s = Rational.of(shareSigma2);
        const share = discreteGaussianTable(shareSigma2);
        const pairReference = discreteGaussianTable(2 * shareSigma2);
        const tripleReference = convolve(convolve(share, share), share);
        expectMajority(`T6/${shareSigma2}`, (rng) => {
          const pairs = new Float64Array(n);
          const triples = new Float64Array(n);
          for (let i = 0; i < n; i += 1) {
            const x1 = Number(discreteGaussian(rng, s));
            const x2 = Number(discreteGaussian(rng, s));
            const x3 = Number(discreteGaussian(rng, s));
            pairs[i] = x1 + x2;
            triples[i] = x1 + x2 + x3;
          }
          return combine([
            chiSquareCheck(`pair vs N_Z(0, ${2 * shareSigma2})`, pairs, pairReference),
            chiSquareCheck('triple vs 3-fold convolution', triples, tripleReference),
            zeroMeanVarianceCheck(
              'triple variance',
              triples,
              tripleReference.variance,
              tripleReference.fourthMoment,
            ),
          ]);
        });
      },
      TIMEOUT,
    );
  }
});
