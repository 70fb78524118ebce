import { type RandomSource, randomBelow } from '#concord/crypto';
import { DpError } from './dp-error.js';
import { type Rational } from './rational.js';

// The hot loops below work on raw (numerator, denominator) bigint pairs rather than `Rational`:
// the distribution does not depend on the pair being reduced, and skipping the gcd per draw
// roughly halves the cost. Public wrappers validate and pass the reduced pair.

/** Bernoulli(num/den) for 0 <= num <= den, den > 0: one uniform draw below `den`. */
export function bernoulliFraction(rng: RandomSource, num: bigint, den: bigint): boolean {
  return randomBelow(rng, den) < num;
}

/** Bernoulli(exp(-num/den)) for 0 <= num/den <= 1 (CKS20 Algorithm 1, first half). */
export function bernoulliExp1Fraction(rng: RandomSource, num: bigint, den: bigint): boolean {
  // P(K > k) = x^k / k!, so P(K odd) = sum_k (-x)^k / k! = exp(-x).
  let k = 1n;
  while (bernoulliFraction(rng, num, den * k)) k += 1n;
  return (k & 1n) === 1n;
}

/** Bernoulli(exp(-num/den)) for num/den >= 0 (CKS20 Algorithm 1). */
export function bernoulliExpFraction(rng: RandomSource, num: bigint, den: bigint): boolean {
  // exp(-x) = exp(-1)^floor(x) * exp(-(x - floor(x))): peel whole units while they succeed.
  let remaining = num;
  while (remaining > den) {
    if (!bernoulliExp1Fraction(rng, 1n, 1n)) return false;
    remaining -= den;
  }
  return bernoulliExp1Fraction(rng, remaining, den);
}

/**
 * Bernoulli(p) for an exact rational p in [0, 1]: a uniform integer below the denominator is
 * compared with the numerator (OpenDP `sample_bernoulli_rational`).
 */
export function bernoulliRational(rng: RandomSource, p: Rational): boolean {
  if (p.sign() < 0 || p.numerator > p.denominator) {
    throw new DpError(
      'invalid-parameter',
      `bernoulliRational: p must lie in [0, 1], got ${p.toString()}`,
    );
  }
  return bernoulliFraction(rng, p.numerator, p.denominator);
}

/**
 * Bernoulli(exp(-x)) for rational x in [0, 1], by the alternating-series construction of
 * Canonne-Kamath-Steinke 2020 ("The Discrete Gaussian for Differential Privacy", Algorithm 1;
 * OpenDP `sample_bernoulli_exp1`).
 */
export function bernoulliExp1(rng: RandomSource, x: Rational): boolean {
  if (x.sign() < 0 || x.numerator > x.denominator) {
    throw new DpError(
      'invalid-parameter',
      `bernoulliExp1: x must lie in [0, 1], got ${x.toString()}`,
    );
  }
  return bernoulliExp1Fraction(rng, x.numerator, x.denominator);
}

/**
 * Bernoulli(exp(-gamma)) for rational gamma >= 0 (CKS20 Algorithm 1; OpenDP
 * `sample_bernoulli_exp`). Exact: uses only uniform integers.
 */
export function bernoulliExp(rng: RandomSource, gamma: Rational): boolean {
  if (gamma.sign() < 0) {
    throw new DpError(
      'invalid-parameter',
      `bernoulliExp: gamma must be >= 0, got ${gamma.toString()}`,
    );
  }
  return bernoulliExpFraction(rng, gamma.numerator, gamma.denominator);
}
