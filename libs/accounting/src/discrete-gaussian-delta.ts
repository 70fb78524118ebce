import { AccountingError } from './accounting-error.js';
import { type NumericInput, UNIT_ROUNDOFF, deflate, inflate, toFloatDown } from './float-bounds.js';
import { shiftedTheta } from './theta-sums.js';

/**
 * The exact delta(epsilon) of the (central) discrete Gaussian mechanism N_Z(0, sigma2) on an
 * integer query of sensitivity `sensitivity` (Canonne-Kamath-Steinke 2020, Theorem 7):
 * delta = P[Y > eps sigma2/D - D/2] - e^eps P[Y > eps sigma2/D + D/2], Y ~ N_Z(0, sigma2).
 *
 * Evaluated as the sum of its positive terms p(k) (1 - exp(eps - (2kD + D^2)/(2 sigma2))), which
 * avoids the cancellation of the two-tail form; the normaliser is bounded below and the
 * truncated tail and rounding are bounded above, so the result is never below the exact delta.
 */
export function discreteGaussianDelta(
  sigma2: NumericInput,
  sensitivity: number,
  epsilon: NumericInput,
): number {
  // delta grows as sigma2 or epsilon shrinks.
  const s = toFloatDown(sigma2);
  const eps = toFloatDown(epsilon);
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new AccountingError('invalid-parameter', 'sigma2 must be finite and > 0');
  }
  if (!(eps >= 0) || !Number.isFinite(eps)) {
    throw new AccountingError('invalid-parameter', 'epsilon must be finite and >= 0');
  }
  if (!Number.isSafeInteger(sensitivity) || sensitivity < 1) {
    throw new AccountingError('invalid-parameter', 'sensitivity must be an integer >= 1');
  }
  const d = sensitivity;
  const z = deflate(shiftedTheta(s, 0), 64 * UNIT_ROUNDOFF);
  // Start below the threshold and keep only positive terms: a term computed on the wrong side of
  // the boundary is tiny and dropping it is safe only if it is negative.
  let k = Math.floor((eps * s) / d - d / 2) - 1;
  let sum = 0;
  let terms = 0;
  let largestExponent = 0;
  for (;;) {
    const logWeight = -(k * k) / (2 * s);
    const term = -Math.exp(logWeight) * Math.expm1(eps - (2 * k * d + d * d) / (2 * s));
    if (term > 0) sum += term;
    terms += 1;
    // exp amplifies the absolute rounding error of its argument into a relative error.
    largestExponent = Math.max(largestExponent, Math.abs(logWeight) + eps);
    // Past the mode, the Gaussian factors shrink by at least q = exp(-(2k + 1)/(2s)) per step and
    // the other factor is at most 1: the rest is at most e^{logWeight} q / (1 - q).
    if (k > 0) {
      const q = Math.exp(-(2 * k + 1) / (2 * s));
      const rest = (Math.exp(logWeight) * q) / (1 - q);
      if (rest <= sum * 1e-20 || (sum === 0 && rest === 0)) {
        sum += rest;
        break;
      }
    }
    k += 1;
  }
  return Math.min(1, inflate(sum / z, (4 * terms + 4 * largestExponent + 128) * UNIT_ROUNDOFF));
}
