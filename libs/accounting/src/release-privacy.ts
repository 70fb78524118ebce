import { Rational, type RationalLike } from '#concord/dp';
import { budgetDisplay, privacyCharge, sumCharges } from './budget.js';
import { ceilToSignificantDigits, toDecimalString } from './decimal.js';

/**
 * Where every surface that states a release's privacy sends the reader: the section of
 * docs/privacy.md that defines the conversion (the coordinator serves the file at this path).
 */
export const PRIVACY_DOC_LINK = '/docs/privacy.md#accounting';

/** One output of a release as its plan fixes it (exact rationals as text or values). */
export interface ReleasePrivacyOutput {
  readonly name: string;
  readonly rho: RationalLike;
  readonly xi: RationalLike;
  /** The output's pure ε (Pólya shares); null for the discrete Gaussian. */
  readonly pureEpsilon: RationalLike | null;
}

/** What every surface states about one release's privacy: the same figures everywhere. */
export interface ReleasePrivacy {
  readonly mechanism: 'discrete-gaussian' | 'polya-laplace';
  /** The release's total ledger charge, exact (what the ledger adds to the bucket). */
  readonly rho: string;
  readonly xi: string;
  /** The delta the epsilon is stated at. */
  readonly delta: number;
  /**
   * ε of the WHOLE release at `delta`, from its total (ξ, ρ) by the ledger's own conversion
   * (`budgetDisplay`, the tight CKS20 conversion plus ξ), rounded up: never the sum of the
   * outputs' ε (ε does not add; ρ does).
   */
  readonly epsilon: number;
  /** `epsilon` rounded up to 4 significant digits, as shown. */
  readonly epsilonText: string;
  /**
   * Pólya releases only: the pure ε of the release, exact (the outputs' pure ε add up); it
   * holds with δ = 0 and is the figure to quote. Null for the discrete Gaussian.
   */
  readonly pureEpsilon: string | null;
  readonly pureEpsilonText: string | null;
  /** One plain-language sentence stating the guarantee with these figures. */
  readonly statement: string;
  /** Link to the definitions (docs/privacy.md). */
  readonly docs: string;
  readonly outputs: readonly {
    readonly name: string;
    readonly rho: string;
    readonly xi: string;
    /** This output's share of the release's ρ, exact ("1/2"). */
    readonly shareOfRho: string;
    readonly pureEpsilon: string | null;
  }[];
}

/** A rational as a short decimal, rounded up to `digits` significant digits. */
function upText(value: Rational, digits = 4): string {
  return toDecimalString(ceilToSignificantDigits(value, digits));
}

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 1e-9 as "10⁻⁹", as the docs write it. */
function deltaText(delta: number): string {
  const exponent = Math.log10(delta);
  return Number.isInteger(exponent)
    ? `10${[...String(exponent)].map((c) => SUPERSCRIPT[c]).join('')}`
    : String(delta);
}

/** What the rider did, over the privacy unit's window, as the statement says it. */
function windowPhrase(days: number): string {
  if (days === 1) return 'on the day';
  return days === 7 ? 'over the week' : `over the ${days} days`;
}

/**
 * The privacy statement of one release (docs/privacy.md, 'Accounting'): its total (ξ, ρ) as the
 * ledger charges it, ε at `delta` by the same function the ledger's balances use, each output's
 * share of ρ, and for Pólya releases the pure ε (not routed through ρ). Every API field, the
 * dashboard, the demo and the CLI print this, so one release has one ε everywhere.
 */
export function releasePrivacy(
  mechanism: ReleasePrivacy['mechanism'],
  outputs: readonly ReleasePrivacyOutput[],
  delta: number,
  /** Days of the privacy unit's window: a rider's day, week (7) or 30 days (30). */
  windowDays = 1,
): ReleasePrivacy {
  const did = windowPhrase(windowDays);
  const charges = outputs.map((o) => privacyCharge(o.rho, o.xi));
  const total = sumCharges(charges);
  const shown = budgetDisplay(total, delta);
  const pure =
    mechanism === 'polya-laplace'
      ? outputs.reduce(
          (s, o) => s.add(Rational.from(o.pureEpsilon ?? Rational.ZERO)),
          Rational.ZERO,
        )
      : null;
  const pureText = pure === null ? null : upText(pure);
  const statement =
    pure === null
      ? `Whatever one rider did ${did} changes the chance of any result of this report by at most a factor e^ε with ε = ${shown.epsilonText}, except with probability δ = ${deltaText(delta)} (from the report's total ρ = ${shown.rho}; ρ is what the ledger adds up).`
      : `Whatever one rider did ${did} changes the chance of any result of this report by at most a factor e^ε with pure ε = ${pureText} (no exception probability; the ledger counts it as ρ = ${shown.rho}).`;
  return {
    mechanism,
    rho: shown.rho,
    xi: shown.xi,
    delta,
    epsilon: shown.epsilon,
    epsilonText: shown.epsilonText,
    pureEpsilon: pure?.toString() ?? null,
    pureEpsilonText: pureText,
    statement,
    docs: PRIVACY_DOC_LINK,
    outputs: outputs.map((o, i) => ({
      name: o.name,
      rho: charges[i].rho.toString(),
      xi: charges[i].xi.toString(),
      shareOfRho: total.rho.isZero() ? '0' : charges[i].rho.div(total.rho).toString(),
      pureEpsilon: o.pureEpsilon === null ? null : Rational.from(o.pureEpsilon).toString(),
    })),
  };
}
