import { AccountingError } from './accounting-error.js';
import {
  type NumericInput,
  UNIT_ROUNDOFF,
  deflate,
  inflate,
  nextUp,
  toFloatDown,
  toFloatUp,
} from './float-bounds.js';

// Conservative direction, everywhere in this file: any Renyi order alpha > 1 gives a valid bound
// on delta, so an imprecise search for the optimal alpha only loosens the bound; what remains is
// the rounding of one evaluation, which is bounded explicitly and added. Inputs given as exact
// rationals are converted with directed rounding (rho up, epsilon down).

const ALPHA_MIN = 1 + 2 ** -30;
const SEARCH_STEPS = 200;

function requireNonNegative(name: string, x: number): void {
  if (!(x >= 0) || !Number.isFinite(x)) {
    throw new AccountingError('invalid-parameter', `${name} must be a finite number >= 0`);
  }
}

function requireDelta(delta: number): void {
  if (!(delta > 0 && delta <= 1)) {
    throw new AccountingError('invalid-parameter', `delta must lie in (0, 1], got ${delta}`);
  }
}

/**
 * Upper bound on log delta at order alpha (Canonne-Kamath-Steinke 2020, Proposition 12 /
 * Corollary 13): (alpha - 1)(alpha rho - eps) + alpha ln(1 - 1/alpha) - ln(alpha - 1), plus a
 * bound on the rounding error of its evaluation.
 */
function logDeltaUpper(rho: number, eps: number, alpha: number): number {
  const am1 = alpha - 1;
  const t1 = am1 * (alpha * rho - eps);
  const t2 = alpha * Math.log1p(-1 / alpha);
  const t3 = -Math.log(am1);
  // Each term takes a handful of correctly rounded operations (Math.log/log1p are within one ulp);
  // alpha rho - eps may cancel, so its error is charged on |alpha rho| + |eps|.
  const scale = am1 * (alpha * rho + eps) + Math.abs(t1) + Math.abs(t2) + Math.abs(t3) + 1;
  return t1 + t2 + t3 + 32 * UNIT_ROUNDOFF * scale;
}

/**
 * delta(epsilon) for (xi, rho)-zCDP by the tight conversion
 * delta = min over alpha > 1 of exp((alpha - 1)(alpha rho - eps') + alpha ln(1 - 1/alpha))/(alpha - 1)
 * with eps' = epsilon - xi (CKS20 Corollary 13; OpenDP `cdp_delta`). The optimal alpha is found by
 * bisection on the sign of the derivative (2 alpha - 1) rho - eps' + ln(1 - 1/alpha), which is
 * increasing in alpha. Returns an upper bound on the exact minimum (never below it).
 */
export function cdpDelta(rho: NumericInput, epsilon: NumericInput, xi: NumericInput = 0): number {
  const r = toFloatUp(rho);
  const x = toFloatUp(xi);
  requireNonNegative('rho', r);
  requireNonNegative('epsilon', toFloatDown(epsilon));
  requireNonNegative('xi', x);
  // With xi the subtraction rounds: push it down so the bound stays an upper bound.
  const eps = x === 0 ? toFloatDown(epsilon) : deflate(toFloatDown(epsilon) - x, UNIT_ROUNDOFF);
  if (eps < 0) return 1;
  if (r === 0) return 0;
  let lo = ALPHA_MIN;
  // Capped so that a vanishing rho cannot make the bracket infinite.
  let hi = Math.min((eps + 1) / (2 * r) + 2, 1e300);
  for (let step = 0; step < SEARCH_STEPS; step += 1) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    const derivative = (2 * mid - 1) * r - eps + Math.log1p(-1 / mid);
    if (derivative < 0) lo = mid;
    else hi = mid;
  }
  const exponent = Math.min(logDeltaUpper(r, eps, lo), logDeltaUpper(r, eps, hi));
  if (Number.isNaN(exponent)) return 1;
  // exp is within one ulp; a result that underflows is replaced by the smallest positive double.
  const delta = inflate(Math.exp(exponent), 2 * UNIT_ROUNDOFF);
  return Math.min(1, delta);
}

/**
 * The smallest epsilon (rounded up) at which (xi, rho)-zCDP gives (epsilon, delta)-DP under the
 * tight conversion (`cdpDelta`), by bisection on epsilon; the result always satisfies
 * `cdpDelta(rho, result, xi) <= delta`, so it is never below the exact value. Equivalent to
 * OpenDP's zCDP-to-approxDP cast followed by fixing delta.
 */
export function cdpEpsilon(rho: NumericInput, delta: number, xi: NumericInput = 0): number {
  requireDelta(delta);
  const r = toFloatUp(rho);
  const x = toFloatUp(xi);
  requireNonNegative('rho', r);
  requireNonNegative('xi', x);
  // Adding xi rounds; without xi the bisection result is returned as is.
  const plusXi = (eps: number): number => (x === 0 ? eps : inflate(eps + x, UNIT_ROUNDOFF));
  if (r === 0 || cdpDelta(r, 0) <= delta) return plusXi(0);
  let lo = 0;
  let hi = cdpEpsilonSimple(r, delta);
  while (cdpDelta(r, hi) > delta) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) throw new AccountingError('no-convergence', 'cdpEpsilon diverged');
  }
  while (nextUp(lo) < hi) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (cdpDelta(r, mid) <= delta) hi = mid;
    else lo = mid;
  }
  return plusXi(hi);
}

/**
 * The largest rho (rounded down) such that rho-zCDP gives (epsilon, delta)-DP under the tight
 * conversion: the budget to calibrate to when a data owner states (epsilon, delta). Never above
 * the exact value.
 */
export function cdpRho(epsilon: NumericInput, delta: number): number {
  requireDelta(delta);
  const eps = toFloatDown(epsilon);
  requireNonNegative('epsilon', eps);
  let lo = 0;
  let hi = Math.max(1, eps);
  while (cdpDelta(hi, eps) <= delta) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) throw new AccountingError('no-convergence', 'cdpRho diverged');
  }
  while (nextUp(lo) < hi) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (cdpDelta(mid, eps) <= delta) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The simple conversion epsilon = xi + rho + 2 sqrt(rho ln(1/delta)) (Bun-Steinke 2016,
 * Proposition 1.3), rounded up. Looser than `cdpEpsilon`; kept because auditors know it.
 */
export function cdpEpsilonSimple(rho: NumericInput, delta: number, xi: NumericInput = 0): number {
  requireDelta(delta);
  const r = toFloatUp(rho);
  const x = toFloatUp(xi);
  requireNonNegative('rho', r);
  requireNonNegative('xi', x);
  // Six correctly rounded operations and a log within one ulp: 16 unit roundoffs cover them.
  return inflate(x + r + 2 * Math.sqrt(r * -Math.log(delta)), 16 * UNIT_ROUNDOFF);
}
