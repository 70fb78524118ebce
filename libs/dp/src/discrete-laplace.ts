import { type RandomSource, randomBit } from '#concord/crypto';
import { DpError } from './dp-error.js';
import { geometricExpFastFraction } from './geometric.js';
import { type Rational } from './rational.js';

/** Discrete Laplace with scale num/den (num, den > 0); see `discreteLaplace`. */
export function discreteLaplaceFraction(rng: RandomSource, num: bigint, den: bigint): bigint {
  for (;;) {
    const positive = randomBit(rng);
    const magnitude = geometricExpFastFraction(rng, den, num);
    // (negative, 0) is rejected: otherwise zero would be produced by both signs and carry twice
    // its mass (the "double zero" bug: docs/privacy.md, 'Acceptance tests', T3 and T7 (a)).
    if (positive) return magnitude;
    if (magnitude !== 0n) return -magnitude;
  }
}

/**
 * The discrete Laplace distribution DLap(p), p = exp(-1/scale):
 * P(k) = ((1 - p)/(1 + p)) p^{|k|}, by a random sign and a Geometric(p) magnitude (CKS20
 * Algorithm 2; OpenDP `sample_discrete_laplace`). Adding it to an integer query of L1
 * sensitivity D gives (D/scale)-DP.
 *
 * A zero scale is refused rather than returning 0: silently releasing without noise is the one
 * failure a DP sampler must not have.
 */
export function discreteLaplace(rng: RandomSource, scale: Rational): bigint {
  if (scale.sign() <= 0) {
    throw new DpError(
      'invalid-parameter',
      `discreteLaplace: scale must be > 0, got ${scale.toString()}`,
    );
  }
  return discreteLaplaceFraction(rng, scale.numerator, scale.denominator);
}
