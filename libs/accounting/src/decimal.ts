import { Rational } from '#concord/dp';
import { AccountingError } from './accounting-error.js';

// Exact decimal rounding of rationals, for storage and display: ledgers keep exact rationals, but
// people and some columns want decimals, and those must round against the analyst (charges and
// epsilons up, never down).

function requireDigits(name: string, digits: number): void {
  if (!Number.isSafeInteger(digits) || digits < 0 || digits > 1000) {
    throw new AccountingError('invalid-parameter', `${name} must be an integer in [0, 1000]`);
  }
}

/** The smallest multiple of 10^-places that is >= `r`. */
export function ceilToDecimalPlaces(r: Rational, places: number): Rational {
  requireDigits('places', places);
  const scale = 10n ** BigInt(places);
  return Rational.of(r.mul(scale).ceil(), scale);
}

/** The largest multiple of 10^-places that is <= `r`. */
export function floorToDecimalPlaces(r: Rational, places: number): Rational {
  requireDigits('places', places);
  const scale = 10n ** BigInt(places);
  return Rational.of(r.mul(scale).floor(), scale);
}

/** floor(log10(n / d)) for n, d > 0, exactly (digit counts give it to within one). */
function decimalExponent(n: bigint, d: bigint): number {
  let e = n.toString().length - d.toString().length;
  const atLeast = (k: number): boolean =>
    k >= 0 ? n >= d * 10n ** BigInt(k) : n * 10n ** BigInt(-k) >= d;
  while (!atLeast(e)) e -= 1;
  while (atLeast(e + 1)) e += 1;
  return e;
}

function divideRounding(n: bigint, d: bigint, up: boolean): bigint {
  // n >= 0, d > 0.
  return up ? (n + d - 1n) / d : n / d;
}

function roundToSignificant(r: Rational, digits: number, up: boolean): Rational {
  if (!Number.isSafeInteger(digits) || digits < 1 || digits > 1000) {
    throw new AccountingError('invalid-parameter', 'digits must be an integer in [1, 1000]');
  }
  if (r.isZero()) return r;
  const negative = r.sign() < 0;
  const n = negative ? -r.numerator : r.numerator;
  const d = r.denominator;
  // Rounding a negative number up is rounding its magnitude down.
  const magnitudeUp = up !== negative;
  const shift = digits - 1 - decimalExponent(n, d);
  const result =
    shift >= 0
      ? Rational.of(divideRounding(n * 10n ** BigInt(shift), d, magnitudeUp), 10n ** BigInt(shift))
      : Rational.of(
          divideRounding(n, d * 10n ** BigInt(-shift), magnitudeUp) * 10n ** BigInt(-shift),
        );
  return negative ? result.neg() : result;
}

/** The smallest number >= `r` with at most `digits` significant decimal digits. */
export function ceilToSignificantDigits(r: Rational, digits: number): Rational {
  return roundToSignificant(r, digits, true);
}

/** The largest number <= `r` with at most `digits` significant decimal digits. */
export function floorToSignificantDigits(r: Rational, digits: number): Rational {
  return roundToSignificant(r, digits, false);
}

/**
 * Plain decimal text of a rational whose expansion terminates within `maxPlaces` digits
 * (as every output of the rounding functions above does); throws otherwise.
 */
export function toDecimalString(r: Rational, maxPlaces = 1000): string {
  // A terminating expansion needs a denominator 2^a 5^b, and then max(a, b) places.
  let rest = r.denominator;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos += 1;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives += 1;
  }
  const places = Math.max(twos, fives);
  if (rest !== 1n || places > maxPlaces) {
    throw new AccountingError('invalid-parameter', `${r.toString()} has no short decimal form`);
  }
  const scaled = (r.numerator * 10n ** BigInt(places)) / r.denominator;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative ? `-${text}` : text;
}
