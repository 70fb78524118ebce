import { AccountingError } from './accounting-error.js';
import {
  type NumericInput,
  UNIT_ROUNDOFF,
  inflate,
  toFloatDown,
  toFloatUp,
} from './float-bounds.js';
import { type TailBound } from './tail-bound.js';

const MAX_TABLE = 20_000_000;
// Stop the pmf table once the rest of the NB mass is below this.
const NEGLIGIBLE_MASS = 1e-40;

function parameters(gamma: NumericInput, shape: NumericInput): { g: number; r: number } {
  // Heavier tails for smaller gamma (p closer to 1) and larger shape: round accordingly.
  const g = toFloatDown(gamma);
  const r = toFloatUp(shape);
  if (!(g > 0) || !Number.isFinite(g)) {
    throw new AccountingError('invalid-parameter', 'gamma must be finite and > 0');
  }
  if (!(r > 0) || !Number.isFinite(r)) {
    throw new AccountingError('invalid-parameter', 'shape must be finite and > 0');
  }
  return { g, r };
}

/**
 * Upper bound on P(|A - B| > h) for A, B i.i.d. NB(shape, p = e^{-gamma}): the released noise of
 * distributed discrete Laplace (shape n/h; docs/privacy.md, 'Calibration' and 'Error bars'). Built
 * from the NB pmf by its ratio recurrence a_{k+1} = a_k p (k + r)/(k + 1) and
 * P(A - B > h) = sum_j P(B = j) P(A > h + j); truncation and rounding are bounded and added.
 */
export function negativeBinomialDifferenceTail(
  gamma: NumericInput,
  shape: NumericInput,
): TailBound {
  const { g, r } = parameters(gamma, shape);
  const p = Math.exp(-g);
  const pmf: number[] = [Math.exp(r * Math.log(-Math.expm1(-g)))];
  const mode = Math.max(0, Math.floor(((r - 1) * p) / (1 - p)));
  let beyond = Infinity;
  for (let k = 0; ; k += 1) {
    const next = (pmf[k] * p * (k + r)) / (k + 1);
    if (k > mode) {
      // From here on each ratio is at most q < 1: the mass after index k + 1 is a geometric tail.
      const q = Math.max(p, (p * (k + 1 + r)) / (k + 2));
      beyond = (next * q) / (1 - q);
      if (beyond < NEGLIGIBLE_MASS) break;
    }
    pmf.push(next);
    if (pmf.length > MAX_TABLE) {
      throw new AccountingError('unsupported', 'scale too large for the exact NB table');
    }
  }
  const top = pmf.length - 1;
  // The mass not in the table: pmf[top + 1] (never pushed) plus `beyond`.
  const missing = inflate((pmf[top] * p * (top + r)) / (top + 1) + beyond, 4 * UNIT_ROUNDOFF);
  // over[m] = P(A > m) restricted to the table, m = 0..top.
  const over = new Float64Array(top + 1);
  let running = 0;
  for (let m = top; m >= 0; m -= 1) {
    over[m] = running;
    running += pmf[m];
  }
  // Each pmf entry carries at most ~3k relative roundings from the recurrence.
  const relative = (8 * top + 256) * UNIT_ROUNDOFF;
  return (h: number): number => {
    const start = Math.max(0, Math.floor(h));
    let sum = 0;
    for (let j = top - start - 1; j >= 0; j -= 1) sum += pmf[j] * over[start + j];
    // P(A > h + j) <= over + missing for all j, and sum_j P(B = j) <= 1, plus the B mass beyond.
    return Math.min(1, inflate(2 * (sum + 2 * missing), relative));
  };
}

/** Variance of A - B for A, B i.i.d. NB(shape, e^{-gamma}): 2 r p/(1 - p)^2, rounded up. */
export function negativeBinomialDifferenceVariance(
  gamma: NumericInput,
  shape: NumericInput,
): number {
  const { g, r } = parameters(gamma, shape);
  const oneMinusP = -Math.expm1(-g);
  return inflate((2 * r * Math.exp(-g)) / (oneMinusP * oneMinusP), 16 * UNIT_ROUNDOFF);
}
