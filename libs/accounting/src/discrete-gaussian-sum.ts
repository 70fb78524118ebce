import { AccountingError } from './accounting-error.js';
import { type NumericInput, UNIT_ROUNDOFF, inflate, toFloatUp } from './float-bounds.js';
import { type TailBound } from './tail-bound.js';
import { hexagonalTheta, secondMomentTheta, shiftedTheta } from './theta-sums.js';

// Terms below exp(-130) ~ 3e-57 of the mode are truncated (and bounded).
const TRUNCATION_EXPONENT = 130;
const MAX_TABLE = 50_000_000;

function requireShares(shares: number): void {
  if (!Number.isSafeInteger(shares) || shares < 1 || shares > 3) {
    throw new AccountingError(
      'unsupported',
      'discrete Gaussian sums are supported for 1 to 3 shares (Concord has n = 3)',
    );
  }
}

/**
 * Residue constants C(r) of the n-fold convolution of N_Z(0, s): completing the square,
 * P(S = k) is proportional to exp(-k^2/(2 n s)) C(k mod n), with
 * C(r) = sum over the integer points x with sum r of exp(-|x - r/n|^2/(2 s)), a lattice theta sum.
 */
function residueConstants(s: number, shares: number): number[] {
  switch (shares) {
    case 1:
      return [1];
    case 2:
      // |x - k/2|^2 over (x, k - x) is 2 (x - k/2)^2.
      return [shiftedTheta(s / 2, 0), shiftedTheta(s / 2, 1 / 2)];
    default:
      return [hexagonalTheta(s, 0), hexagonalTheta(s, 1 / 3), hexagonalTheta(s, 2 / 3)];
  }
}

/**
 * Upper bound on the tail P(|S| > h) of S = sum of `shares` i.i.d. N_Z(0, shareSigma2), from the
 * exact pmf of the convolution in closed form (docs/privacy.md, 'Error bars'). Cost O(sqrt(n s))
 * once, then O(1) per h; fast for sigma^2 up to 1e10.
 */
export function discreteGaussianSumTail(shareSigma2: NumericInput, shares: number): TailBound {
  requireShares(shares);
  // Wider noise has heavier tails: round the variance up.
  const s = toFloatUp(shareSigma2);
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new AccountingError('invalid-parameter', 'shareSigma2 must be finite and > 0');
  }
  const v = shares * s;
  const reach = Math.ceil(Math.sqrt(2 * v * TRUNCATION_EXPONENT)) + 2;
  if (reach > MAX_TABLE) throw new AccountingError('unsupported', 'variance too large');
  const constants = residueConstants(s, shares);
  const largest = Math.max(...constants);
  // suffix[h] = sum_{k = h+1}^{reach} w(k), accumulated from the small end for accuracy.
  const suffix = new Float64Array(reach + 1);
  let running = 0;
  for (let k = reach; k >= 1; k -= 1) {
    suffix[k] = running;
    running += Math.exp(-(k * k) / (2 * v)) * constants[k % shares];
  }
  suffix[0] = running;
  // A lower bound on the total mass (terms beyond `reach` are left out).
  const total = constants[0] + 2 * running;
  // Beyond `reach` the Gaussian factor shrinks by at least q per step.
  const q = Math.exp(-(2 * reach + 3) / (2 * v));
  const beyond = (largest * Math.exp(-((reach + 1) ** 2) / (2 * v))) / (1 - q);
  const relative = (2 * reach + 4 * TRUNCATION_EXPONENT + 1024) * UNIT_ROUNDOFF;
  return (h: number): number => {
    const inner = h < reach ? suffix[Math.max(0, Math.floor(h))] : 0;
    return Math.min(1, inflate((2 * (inner + beyond)) / total, relative));
  };
}

/** Variance of N_Z(0, s): slightly below s for small s (CKS20 Proposition 5), rounded up. */
export function discreteGaussianVariance(sigma2: NumericInput): number {
  const s = toFloatUp(sigma2);
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new AccountingError('invalid-parameter', 'sigma2 must be finite and > 0');
  }
  return inflate(secondMomentTheta(s) / shiftedTheta(s, 0), 256 * UNIT_ROUNDOFF);
}

/** Exact variance of the sum of `shares` i.i.d. N_Z(0, shareSigma2) (shares are independent). */
export function discreteGaussianSumVariance(shareSigma2: NumericInput, shares: number): number {
  if (!Number.isSafeInteger(shares) || shares < 1) {
    throw new AccountingError('invalid-parameter', 'shares must be an integer >= 1');
  }
  return inflate(shares * discreteGaussianVariance(shareSigma2), UNIT_ROUNDOFF);
}
