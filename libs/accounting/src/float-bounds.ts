import { Rational } from '#concord/dp';
import { AccountingError } from './accounting-error.js';

// Directed rounding for IEEE-754 doubles. JavaScript only rounds to nearest, so every accounting
// result is computed to nearest and then pushed outward by an explicit error bound; these are the
// primitives for that push and for exact conversion between doubles and rationals.

/** Unit roundoff of binary64: |fl(x op y) - x op y| <= U |x op y| for one correctly rounded op. */
export const UNIT_ROUNDOFF = 2 ** -53;

const view = new DataView(new ArrayBuffer(8));

/** The smallest double strictly greater than `x` (identity on +Infinity and NaN). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

/** The largest double strictly less than `x`. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * Moves `x` up by `relative * |x|` and then by one ulp: the upper end of an interval that contains
 * the exact value when `relative` bounds the relative error of the computation of `x`.
 */
export function inflate(x: number, relative: number): number {
  return nextUp(x + Math.abs(x) * relative);
}

/** The lower end of the interval, as `inflate` gives the upper end. */
export function deflate(x: number, relative: number): number {
  return nextDown(x - Math.abs(x) * relative);
}

/** The exact rational value of a finite double (every double is a dyadic rational). */
export function rationalFromFloat(x: number): Rational {
  if (!Number.isFinite(x)) {
    throw new AccountingError('invalid-parameter', `not a finite number: ${x}`);
  }
  if (x === 0) return Rational.ZERO;
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // Subnormals have no implicit leading bit and the exponent of the smallest normal.
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  const magnitude =
    exponent >= 0
      ? Rational.of(mantissa << BigInt(exponent))
      : Rational.of(mantissa, 1n << BigInt(-exponent));
  return negative ? magnitude.neg() : magnitude;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

function nearest(r: Rational): number {
  // Keep the top 64 bits of each part so both convert to doubles, divide, and restore the
  // binary exponent in two steps (one step could overflow). The result is within a few ulps;
  // the directed versions below correct it by exact comparison.
  const n = r.numerator < 0n ? -r.numerator : r.numerator;
  const d = r.denominator;
  const sn = Math.max(bitLength(n) - 64, 0);
  const sd = Math.max(bitLength(d) - 64, 0);
  const k = sn - sd;
  const half = Math.trunc(k / 2);
  const value = (Number(n >> BigInt(sn)) / Number(d >> BigInt(sd))) * 2 ** half * 2 ** (k - half);
  return r.numerator < 0n ? -value : value;
}

/** The smallest double >= `r` (exact comparison, so this is the true upward rounding). */
export function rationalToFloatUp(r: Rational): number {
  let x = nearest(r);
  while (Number.isFinite(x) && rationalFromFloat(x).lt(r)) x = nextUp(x);
  if (!Number.isFinite(x)) return x > 0 ? Infinity : -Number.MAX_VALUE;
  while (Number.isFinite(nextDown(x)) && rationalFromFloat(nextDown(x)).gte(r)) x = nextDown(x);
  return x;
}

/** The largest double <= `r`. */
export function rationalToFloatDown(r: Rational): number {
  return -rationalToFloatUp(r.neg());
}

/** A value given as a double or an exact rational; doubles are taken at face value. */
export type NumericInput = number | Rational;

/** `x` as a double rounded up (doubles pass through). */
export function toFloatUp(x: NumericInput): number {
  return typeof x === 'number' ? x : rationalToFloatUp(x);
}

/** `x` as a double rounded down (doubles pass through). */
export function toFloatDown(x: NumericInput): number {
  return typeof x === 'number' ? x : rationalToFloatDown(x);
}
