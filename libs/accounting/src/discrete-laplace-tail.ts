import { AccountingError } from './accounting-error.js';
import { type NumericInput, UNIT_ROUNDOFF, inflate, toFloatDown } from './float-bounds.js';
import { type TailBound } from './tail-bound.js';

function gammaOf(gamma: NumericInput): number {
  // Heavier tails for smaller gamma: round down.
  const g = toFloatDown(gamma);
  if (!(g > 0) || !Number.isFinite(g)) {
    throw new AccountingError('invalid-parameter', 'gamma must be finite and > 0');
  }
  return g;
}

/**
 * P(|N| > h) = 2 p^{h+1}/(1 + p) for N ~ DLap(p = e^{-gamma}) (docs/privacy.md, 'Error bars'),
 * rounded up.
 */
export function discreteLaplaceTail(gamma: NumericInput): TailBound {
  const g = gammaOf(gamma);
  const p = Math.exp(-g);
  return (h: number): number => {
    const exponent = g * (Math.floor(h) + 1);
    // exp turns the absolute error of its argument (~ exponent * u) into a relative one.
    const tail = (2 * Math.exp(-exponent)) / (1 + p);
    return Math.min(1, inflate(tail, (2 * exponent + 16) * UNIT_ROUNDOFF));
  };
}

/** Variance of DLap(e^{-gamma}): 2 p/(1 - p)^2, rounded up. */
export function discreteLaplaceVariance(gamma: NumericInput): number {
  const g = gammaOf(gamma);
  const oneMinusP = -Math.expm1(-g);
  return inflate((2 * Math.exp(-g)) / (oneMinusP * oneMinusP), 16 * UNIT_ROUNDOFF);
}
