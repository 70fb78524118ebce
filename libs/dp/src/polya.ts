import { type RandomSource, randomBelow } from '#concord/crypto';
import { DpError } from './dp-error.js';
import { geometricExpFastFraction } from './geometric.js';
import { type Rational } from './rational.js';

function requireShareParameters(name: string, m: number, gamma: Rational): void {
  if (!Number.isSafeInteger(m) || m < 1) {
    throw new DpError('invalid-parameter', `${name}: m must be an integer >= 1, got ${m}`);
  }
  if (gamma.sign() <= 0) {
    throw new DpError('invalid-parameter', `${name}: gamma must be > 0, got ${gamma.toString()}`);
  }
}

/** Counts proposals, so tests can check the acceptance rate (T5 in docs/privacy.md). */
export interface PolyaStatistics {
  proposals: number;
}

/** NB(1/m, e^{-num/den}); see `polya`. */
export function polyaFraction(
  rng: RandomSource,
  m: bigint,
  num: bigint,
  den: bigint,
  statistics?: PolyaStatistics,
): bigint {
  for (;;) {
    if (statistics) statistics.proposals += 1;
    const k = geometricExpFastFraction(rng, num, den);
    // Accept with probability prod_{j<k} (m j + 1)/(m (j + 1)) = Gamma(k + 1/m)/(Gamma(1/m) k!),
    // one exact rational Bernoulli per factor, stopping at the first failure.
    let accepted = true;
    for (let j = 0n; j < k; j += 1n) {
      if (randomBelow(rng, m * (j + 1n)) >= m * j + 1n) {
        accepted = false;
        break;
      }
    }
    if (accepted) return k;
  }
}

/**
 * A negative-binomial (Polya) sample NB(r = 1/m, p = e^{-gamma}),
 * P(k) = Gamma(k + r)/(k! Gamma(r)) (1 - p)^r p^k, exactly: a Geometric(p) proposal accepted
 * with probability Gamma(k + 1/m)/(Gamma(1/m) k!) <= 1 (docs/privacy.md, 'Mechanisms'; acceptance
 * rate (1 - p)^{1 - 1/m}). NB is additive in r, so m such samples sum to a
 * Geometric(p).
 */
export function polya(rng: RandomSource, m: number, gamma: Rational): bigint {
  requireShareParameters('polya', m, gamma);
  return polyaFraction(rng, BigInt(m), gamma.numerator, gamma.denominator);
}

/** A - B with A, B ~ NB(1/m, e^{-num/den}); see `distributedLaplaceShare`. */
export function distributedLaplaceShareFraction(
  rng: RandomSource,
  m: bigint,
  num: bigint,
  den: bigint,
): bigint {
  const a = polyaFraction(rng, m, num, den);
  const b = polyaFraction(rng, m, num, den);
  return a - b;
}

/**
 * One party's share of distributed discrete Laplace noise: A - B with A, B ~ NB(1/h, e^{-gamma})
 * for h = `honestParties` (docs/privacy.md, 'Mechanisms' and 'Calibration'). Any h such shares sum
 * to Geometric - Geometric = DLap(e^{-gamma}) exactly, so h honest parties alone give
 * (Delta1 * gamma)-DP whatever the corrupt parties add.
 */
export function distributedLaplaceShare(
  rng: RandomSource,
  gamma: Rational,
  honestParties: number,
): bigint {
  requireShareParameters('distributedLaplaceShare', honestParties, gamma);
  return distributedLaplaceShareFraction(
    rng,
    BigInt(honestParties),
    gamma.numerator,
    gamma.denominator,
  );
}
