import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational } from '#concord/dp';
import {
  type PrivacyCharge,
  ZERO_CHARGE,
  addCharges,
  budgetDisplay,
  chargeEpsilon,
  privacyCharge,
  remainingBudget,
  remainingDisplay,
  storedDecimal,
  sumCharges,
  wouldExceed,
} from './budget.js';
import { ceilToSignificantDigits } from './decimal.js';
import { cdpEpsilon } from './zcdp-conversion.js';

const FULL_SUITE = process.env.CONCORD_STATISTICAL_SUITE === 'full';

// Charges as a ledger sees them: rho = D2^2/(2 sigma^2) or eps^2/2 with modest denominators, xi a
// decimal already rounded up by `ddgXi` (k / 10^m).
const charge = fc
  .record({
    rho: fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 4n }), fc.bigInt({ min: 1n, max: 10n ** 4n })),
    xi: fc.tuple(fc.bigInt({ min: 0n, max: 9999n }), fc.integer({ min: 12, max: 34 })),
  })
  .map(({ rho, xi }) =>
    privacyCharge(Rational.of(rho[0], rho[1]), Rational.of(xi[0], 10n ** BigInt(xi[1]))),
  );

describe('budget arithmetic for the ledger', () => {
  it('adds exactly and checks caps exactly (reaching the cap is allowed)', () => {
    const cap = privacyCharge('1');
    const hundredth = privacyCharge('1/100');
    let spent = ZERO_CHARGE;
    let accepted = 0;
    for (let i = 0; i < 200; i += 1) {
      if (!wouldExceed(spent, hundredth, cap)) {
        spent = addCharges(spent, hundredth);
        accepted += 1;
      }
    }
    expect(accepted).toBe(100); // cf. T14: exactly 100 of 200 charges of 1/100 fit under 1
    expect(spent.rho.equals(cap.rho)).toBe(true);
    expect(remainingBudget(spent, cap).rho.isZero()).toBe(true);
    expect(wouldExceed(ZERO_CHARGE, privacyCharge('0', '1e-30'), cap)).toBe(true); // xi cap 0
    expect(remainingBudget(privacyCharge('2'), cap).rho.isZero()).toBe(true);
    expect(() => privacyCharge('-1/2')).toThrowError(
      expect.objectContaining({ code: 'invalid-parameter' }),
    );
  });

  it('T13: stored (rounded-up decimal) totals are never below the exact rational totals (property)', () => {
    fc.assert(
      fc.property(
        fc.array(charge, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 15 }),
        (charges, digits) => {
          const exact = sumCharges(charges);
          // A decimal column storing each charge rounded up, summed as decimals.
          const storedRho = charges.reduce(
            (acc, c) => acc.add(ceilToSignificantDigits(c.rho, digits)),
            Rational.ZERO,
          );
          const storedXi = charges.reduce(
            (acc, c) => acc.add(ceilToSignificantDigits(c.xi, digits)),
            Rational.ZERO,
          );
          expect(storedRho.gte(exact.rho)).toBe(true);
          expect(storedXi.gte(exact.xi)).toBe(true);
          // The text form is exactly that rounded value, and a stored running total is >= exact.
          const total = Rational.parse(storedDecimal(exact.rho, digits));
          expect(total.equals(ceilToSignificantDigits(exact.rho, digits))).toBe(true);
          expect(total.gte(exact.rho)).toBe(true);
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('T13: reported epsilon of a total is never below the conversion of the exact total (property)', () => {
    fc.assert(
      fc.property(fc.array(charge, { minLength: 1, maxLength: 10 }), (charges) => {
        const total: PrivacyCharge = sumCharges(charges);
        if (total.rho.isZero()) return;
        const reported = chargeEpsilon(total, 1e-9);
        // Reference: the tight conversion of the exact rho (converted to the nearest double, then
        // nudged down so the reference is the optimistic one) plus the exact xi.
        const rhoDown = (Number(total.rho.numerator) / Number(total.rho.denominator)) * (1 - 1e-15);
        const xi = Number(total.xi.numerator) / Number(total.xi.denominator);
        expect(reported).toBeGreaterThanOrEqual(cdpEpsilon(rhoDown, 1e-9) + xi * (1 - 1e-15));
      }),
      { numRuns: FULL_SUITE ? 10_000 : 1_000 },
    );
  });

  it('displays a cap as exact rho and xi plus epsilon at a delta policy, rounded up', () => {
    const display = budgetDisplay(privacyCharge('1/20', '0'), 1e-9);
    expect(display.rho).toBe('1/20');
    expect(display.xi).toBe('0');
    expect(display.delta).toBe(1e-9);
    // mpmath: eps(0.05, 1e-9) = 1.88166029106...
    expect(display.epsilon).toBeGreaterThanOrEqual(1.88166029106);
    expect(display.epsilonText).toBe('1.882');
    expect(budgetDisplay(ZERO_CHARGE, 1e-9).epsilonText).toBe('0');
  });

  it('displays a remaining budget with epsilon rounded down (never overstating what is left)', () => {
    const display = remainingDisplay(privacyCharge('1/20', '0'), 1e-9);
    expect(display.rho).toBe('1/20');
    // mpmath: eps(0.05, 1e-9) = 1.88166029106...; shown below it, to 4 digits down.
    expect(display.epsilon).toBeLessThan(1.88166029106);
    expect(display.epsilon).toBeGreaterThan(1.88166029106 * (1 - 1e-8));
    expect(display.epsilonText).toBe('1.881');
    expect(remainingDisplay(ZERO_CHARGE, 1e-9)).toMatchObject({ epsilon: 0, epsilonText: '0' });
  });
});
