import { AccountingError } from './accounting-error.js';
import { discreteGaussianSumTail, discreteGaussianSumVariance } from './discrete-gaussian-sum.js';
import { discreteLaplaceTail, discreteLaplaceVariance } from './discrete-laplace-tail.js';
import {
  negativeBinomialDifferenceTail,
  negativeBinomialDifferenceVariance,
} from './negative-binomial-difference.js';
import { nextDown } from './float-bounds.js';
import { type TotalNoiseLaw } from './noise-law.js';
import { type TailBound } from './tail-bound.js';

/** The tail bound P(|N| > h) of a released-noise law. */
export function noiseTailBound(law: TotalNoiseLaw): TailBound {
  switch (law.kind) {
    case 'discrete-gaussian-sum':
      return discreteGaussianSumTail(law.shareSigma2, law.shares);
    case 'negative-binomial-difference':
      return negativeBinomialDifferenceTail(law.gamma, law.shape);
    case 'discrete-laplace':
      return discreteLaplaceTail(law.gamma);
  }
}

function requireAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) {
    throw new AccountingError('invalid-parameter', `alpha must lie in (0, 1), got ${alpha}`);
  }
}

/** The smallest integer h >= 0 with tail(h) <= alpha, for a non-increasing tail bound. */
export function smallestHalfWidth(tail: TailBound, alpha: number): number {
  requireAlpha(alpha);
  if (tail(0) <= alpha) return 0;
  let lo = 0; // tail(lo) > alpha
  let hi = 1;
  while (tail(hi) > alpha) {
    lo = hi;
    hi *= 2;
    if (hi > Number.MAX_SAFE_INTEGER / 2) {
      throw new AccountingError('no-convergence', 'interval half-width diverged');
    }
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (tail(mid) <= alpha) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The half-width h of the exact (1 - alpha) interval [y - h, y + h] for a value released with
 * total noise `law`: h = min{h : P(|N| <= h) >= 1 - alpha}, from the exact pmf of the total noise
 * (docs/privacy.md, 'Error bars'). The tail is bounded from above, so rounding can only widen h;
 * the interval covers the bounded (clipped) value and costs no privacy budget.
 */
export function intervalHalfWidth(law: TotalNoiseLaw, alpha = 0.05): number {
  return smallestHalfWidth(noiseTailBound(law), alpha);
}

/** A lower bound on the coverage P(|N| <= halfWidth) of the interval of that half-width. */
export function intervalCoverage(law: TotalNoiseLaw, halfWidth: number): number {
  if (!Number.isSafeInteger(halfWidth) || halfWidth < 0) {
    throw new AccountingError('invalid-parameter', 'halfWidth must be an integer >= 0');
  }
  const tail = noiseTailBound(law)(halfWidth);
  // 1 - tail rounds to nearest; step down one ulp so the result stays a lower bound.
  return tail === 0 ? 1 : Math.max(0, nextDown(1 - tail));
}

/** The exact variance of the total released noise, rounded up. */
export function totalNoiseVariance(law: TotalNoiseLaw): number {
  switch (law.kind) {
    case 'discrete-gaussian-sum':
      return discreteGaussianSumVariance(law.shareSigma2, law.shares);
    case 'negative-binomial-difference':
      return negativeBinomialDifferenceVariance(law.gamma, law.shape);
    case 'discrete-laplace':
      return discreteLaplaceVariance(law.gamma);
  }
}
