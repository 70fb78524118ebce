import { Rational, type RationalLike } from '#concord/dp';
import { AccountingError } from './accounting-error.js';
import { ceilToSignificantDigits, floorToSignificantDigits, toDecimalString } from './decimal.js';
import { deflate, rationalFromFloat } from './float-bounds.js';
import { cdpEpsilon } from './zcdp-conversion.js';

/**
 * A privacy charge in the ledger's currency, (xi, rho)-zCDP (docs/privacy.md, 'Accounting'): both
 * parts add under composition (sequential, including adaptive). Pure-DP releases are charged
 * rho = epsilon^2/2 and xi = 0. Exact rationals: sums never round.
 */
export interface PrivacyCharge {
  readonly rho: Rational;
  readonly xi: Rational;
}

export const ZERO_CHARGE: PrivacyCharge = Object.freeze({ rho: Rational.ZERO, xi: Rational.ZERO });

function nonNegative(name: string, value: RationalLike): Rational {
  const r = Rational.from(value);
  if (r.sign() < 0) {
    throw new AccountingError('invalid-parameter', `${name} must be >= 0, got ${r.toString()}`);
  }
  return r;
}

/** A validated charge (both parts >= 0). */
export function privacyCharge(rho: RationalLike, xi: RationalLike = Rational.ZERO): PrivacyCharge {
  return Object.freeze({ rho: nonNegative('rho', rho), xi: nonNegative('xi', xi) });
}

/** a + b, exactly. */
export function addCharges(a: PrivacyCharge, b: PrivacyCharge): PrivacyCharge {
  return Object.freeze({ rho: a.rho.add(b.rho), xi: a.xi.add(b.xi) });
}

/** The exact total of a sequence of charges. */
export function sumCharges(charges: Iterable<PrivacyCharge>): PrivacyCharge {
  let total = ZERO_CHARGE;
  for (const charge of charges) total = addCharges(total, charge);
  return total;
}

/**
 * True if charging `charge` on top of `spent` would take either part above `cap`: the check each
 * party's ledger replica makes, atomically with the charge, before dealing noise or opening
 * (docs/privacy.md, 'The ledger'). Exact: reaching the cap exactly is allowed.
 */
export function wouldExceed(
  spent: PrivacyCharge,
  charge: PrivacyCharge,
  cap: PrivacyCharge,
): boolean {
  const total = addCharges(spent, charge);
  return total.rho.gt(cap.rho) || total.xi.gt(cap.xi);
}

/** cap - spent, part by part, floored at zero. */
export function remainingBudget(spent: PrivacyCharge, cap: PrivacyCharge): PrivacyCharge {
  return Object.freeze({
    rho: Rational.max(Rational.ZERO, cap.rho.sub(spent.rho)),
    xi: Rational.max(Rational.ZERO, cap.xi.sub(spent.xi)),
  });
}

/**
 * A rational rounded UP to `digits` significant decimal digits, as decimal text: how a charge or
 * total goes into a decimal column or onto a screen. Stored values are never below exact ones.
 */
export function storedDecimal(value: Rational, digits = 12): string {
  return toDecimalString(ceilToSignificantDigits(value, digits));
}

/** (epsilon, delta)-DP implied by a (xi, rho)-zCDP charge at the given delta policy, rounded up. */
export function chargeEpsilon(charge: PrivacyCharge, delta: number): number {
  return cdpEpsilon(charge.rho, delta, charge.xi);
}

/** What a screen shows for a cap or a balance. */
export interface BudgetDisplay {
  /** Exact rho and xi, canonical rational text. */
  readonly rho: string;
  readonly xi: string;
  /** The delta policy the epsilon is stated at. */
  readonly delta: number;
  /** epsilon at `delta`, rounded up (never below the exact conversion). */
  readonly epsilon: number;
  /** `epsilon` rounded up to `digits` significant digits, as text. */
  readonly epsilonText: string;
}

/**
 * A cap or balance for display: exact rho and xi plus epsilon at a delta policy (for example
 * 1e-9), every rounding upward: the tight conversion with epsilon rounded up (docs/privacy.md,
 * 'Accounting').
 */
export function budgetDisplay(charge: PrivacyCharge, delta: number, digits = 4): BudgetDisplay {
  const epsilon = chargeEpsilon(charge, delta);
  return {
    rho: charge.rho.toString(),
    xi: charge.xi.toString(),
    delta,
    epsilon,
    epsilonText: toDecimalString(ceilToSignificantDigits(rationalFromFloat(epsilon), digits)),
  };
}

/**
 * Relative margin taken off the tight conversion before rounding a remaining budget down. The
 * conversion is accurate to about 1e-13 relative against 50-digit references (T12 requires
 * 1e-9); 1e-9 leaves four orders of magnitude to spare.
 */
const REMAINING_MARGIN = 1e-9;

/**
 * A remaining budget for display: exact rho and xi, and epsilon at `delta` rounded DOWN (what is
 * left is never overstated), the text to `digits` significant digits, also down. The ledger
 * itself decides in exact rho; this is only how the balance is shown.
 */
export function remainingDisplay(charge: PrivacyCharge, delta: number, digits = 4): BudgetDisplay {
  const upper = chargeEpsilon(charge, delta);
  const epsilon = upper === 0 ? 0 : Math.max(0, deflate(upper, REMAINING_MARGIN));
  return {
    rho: charge.rho.toString(),
    xi: charge.xi.toString(),
    delta,
    epsilon,
    epsilonText: toDecimalString(floorToSignificantDigits(rationalFromFloat(epsilon), digits)),
  };
}
