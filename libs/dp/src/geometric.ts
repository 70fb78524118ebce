import { type RandomSource, randomBelow } from '#concord/crypto';
import { bernoulliExpFraction } from './bernoulli.js';
import { DpError } from './dp-error.js';
import { type Rational } from './rational.js';

/** Geometric(exp(-num/den)) by repeated trials: cost grows like 1/(1 - exp(-x)). */
export function geometricExpSlowFraction(rng: RandomSource, num: bigint, den: bigint): bigint {
  let k = 0n;
  while (bernoulliExpFraction(rng, num, den)) k += 1n;
  return k;
}

/**
 * Geometric(exp(-num/den)) in expected O(1 + x) Bernoulli draws: a uniform remainder u below
 * `den` accepted with probability exp(-u/den), plus `den` times a Geometric(exp(-1)), then
 * scaled down by `num` (CKS20 Algorithm 2).
 */
export function geometricExpFastFraction(rng: RandomSource, num: bigint, den: bigint): bigint {
  let u: bigint;
  do {
    u = randomBelow(rng, den);
  } while (!bernoulliExpFraction(rng, u, den));
  const v = geometricExpSlowFraction(rng, 1n, 1n);
  return (u + den * v) / num;
}

function requirePositive(name: string, x: Rational): void {
  // x = 0 would be Geometric(1): no distribution. Refuse rather than loop or return 0.
  if (x.sign() <= 0)
    throw new DpError('invalid-parameter', `${name}: x must be > 0, got ${x.toString()}`);
}

/**
 * A sample K >= 0 with P(K = k) = (1 - e^{-x}) e^{-x k}, for rational x > 0, by counting
 * successes of Bernoulli(exp(-x)) (CKS20 section 5; OpenDP `sample_geometric_exp_slow`). Fine for
 * x >= 1; use `geometricExpFast` for small x.
 */
export function geometricExpSlow(rng: RandomSource, x: Rational): bigint {
  requirePositive('geometricExpSlow', x);
  return geometricExpSlowFraction(rng, x.numerator, x.denominator);
}

/**
 * The same law as `geometricExpSlow` in expected O(1) Bernoulli draws whatever x (CKS20
 * Algorithm 2; OpenDP `sample_geometric_exp_fast`).
 */
export function geometricExpFast(rng: RandomSource, x: Rational): bigint {
  requirePositive('geometricExpFast', x);
  return geometricExpFastFraction(rng, x.numerator, x.denominator);
}
