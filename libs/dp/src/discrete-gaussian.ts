import { type RandomSource } from '#concord/crypto';
import { bernoulliExpFraction } from './bernoulli.js';
import { DpError } from './dp-error.js';
import { discreteLaplaceFraction } from './discrete-laplace.js';
import { integerSqrt } from './integer-sqrt.js';
import { type Rational } from './rational.js';

/** N_Z(0, a/c) for a, c > 0; see `discreteGaussian`. */
export function discreteGaussianFraction(rng: RandomSource, a: bigint, c: bigint): bigint {
  // t = floor(sigma) + 1, and floor(sqrt(a/c)) = isqrt(floor(a/c)) because squaring is monotone.
  const t = integerSqrt(a / c) + 1n;
  const biasDenominator = 2n * a * c * t * t;
  for (;;) {
    const y = discreteLaplaceFraction(rng, t, 1n);
    const magnitude = y < 0n ? -y : y;
    // bias = (|y| - sigma^2/t)^2 / (2 sigma^2) with sigma^2 = a/c, over a common denominator:
    // (|y| c t - a)^2 / (2 a c t^2).
    const centred = magnitude * c * t - a;
    if (bernoulliExpFraction(rng, centred * centred, biasDenominator)) return y;
  }
}

/**
 * The discrete Gaussian N_Z(0, sigma2): P(k) proportional to exp(-k^2 / (2 sigma2)), for exact
 * rational sigma2 > 0, by rejection from a discrete Laplace of scale floor(sigma) + 1
 * (Canonne-Kamath-Steinke 2020, Algorithm 3; OpenDP `sample_discrete_gaussian`). Adding it to an
 * integer query of L2 sensitivity D gives (D^2 / (2 sigma2))-zCDP (CKS20 Theorem 4).
 *
 * Takes the variance parameter rather than sigma so that every calibration stays rational.
 */
export function discreteGaussian(rng: RandomSource, sigma2: Rational): bigint {
  if (sigma2.sign() <= 0) {
    throw new DpError(
      'invalid-parameter',
      `discreteGaussian: sigma2 must be > 0, got ${sigma2.toString()}`,
    );
  }
  return discreteGaussianFraction(rng, sigma2.numerator, sigma2.denominator);
}
