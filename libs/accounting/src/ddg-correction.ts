import { Rational } from '#concord/dp';
import { AccountingError } from './accounting-error.js';
import { ceilToSignificantDigits } from './decimal.js';
import {
  type NumericInput,
  UNIT_ROUNDOFF,
  deflate,
  inflate,
  rationalFromFloat,
  toFloatDown,
} from './float-bounds.js';

/**
 * The distributed-discrete-Gaussian correction tau = 10 sum_{k=1}^{m-1} exp(-2 pi^2 s k/(k+1))
 * for the sum of m i.i.d. N_Z(0, s) shares (Kairouz-Liu-Steinke 2021, Theorem 1 / Proposition 14,
 * as coded in google-research/federated `distributed_dp/accounting_utils.py`; docs/privacy.md,
 * 'Accounting'). The honest sum is then (tau d, rho)-zCDP for d cells. Rounded up.
 */
export function ddgTau(shareSigma2: NumericInput, honestParties: number): number {
  if (!Number.isSafeInteger(honestParties) || honestParties < 1) {
    throw new AccountingError('invalid-parameter', 'honestParties must be an integer >= 1');
  }
  // tau falls as s grows, so s is rounded down; the exponent is pushed toward zero (8 ulps cover
  // pi^2, the products and the division).
  const s = toFloatDown(shareSigma2);
  if (!(s > 0)) throw new AccountingError('invalid-parameter', 'shareSigma2 must be > 0');
  let sum = 0;
  for (let k = 1; k < honestParties; k += 1) {
    const exponent = deflate((2 * Math.PI * Math.PI * s * k) / (k + 1), 8 * UNIT_ROUNDOFF);
    sum += Math.exp(-exponent);
  }
  return inflate(10 * sum, (honestParties + 4) * UNIT_ROUNDOFF);
}

/**
 * Smallest xi ever charged: tau underflows doubles for share variances above ~40, and rounding it
 * up to 4 significant digits would then give 300-digit rationals. 1e-30 per release is still an
 * upper bound and adds nothing visible to any epsilon (1e6 releases: 1e-24).
 */
export const XI_FLOOR = Rational.of(1n, 10n ** 30n);

/**
 * The xi charged by a distributed discrete Gaussian release over `cells` cells: tau * d, as an
 * exact rational rounded up to 4 significant digits for the ledger, and never below `XI_FLOOR`
 * (0 cells: 0).
 */
export function ddgXi(shareSigma2: NumericInput, honestParties: number, cells: number): Rational {
  if (!Number.isSafeInteger(cells) || cells < 0) {
    throw new AccountingError('invalid-parameter', 'cells must be an integer >= 0');
  }
  if (cells === 0) return Rational.ZERO;
  const xi = ceilToSignificantDigits(
    rationalFromFloat(inflate(ddgTau(shareSigma2, honestParties) * cells, UNIT_ROUNDOFF)),
    4,
  );
  return Rational.max(xi, XI_FLOOR);
}
