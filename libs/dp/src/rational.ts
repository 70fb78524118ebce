import { DpError } from './dp-error.js';

/** Inputs accepted wherever a rational is expected: a `Rational`, an integer, or its text. */
export type RationalLike = Rational | bigint | string;

// Decimal exponents beyond this are refused: parameters arrive as text from requests, and
// "1e999999999" would otherwise allocate a billion-digit power of ten.
const MAX_DECIMAL_EXPONENT = 4096;

const FRACTION = /^(-?)(\d+)\/(\d+)$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

function toBigInt(value: bigint | number, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) {
    throw new DpError('invalid-rational', `${what} must be a safe integer, got ${value}`);
  }
  return BigInt(value);
}

/**
 * An immutable exact rational number over `bigint`, always normalised (coprime numerator and
 * denominator, denominator positive), so equal values have equal fields and `toString()` is
 * canonical (it is what ledgers hash and store). DP parameters are rationals because the CKS20
 * samplers need exact Bernoulli probabilities (docs/privacy.md, 'Mechanisms').
 */
export class Rational {
  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  private constructor(
    readonly numerator: bigint,
    readonly denominator: bigint,
  ) {}

  /** `numerator / denominator`, normalised. Integers given as `number` must be safe integers. */
  static of(numerator: bigint | number, denominator: bigint | number = 1n): Rational {
    const n = toBigInt(numerator, 'numerator');
    const d = toBigInt(denominator, 'denominator');
    if (d === 0n) throw new DpError('division-by-zero', 'Rational: zero denominator');
    if (d === 1n) return new Rational(n, 1n);
    const sign = d < 0n ? -1n : 1n;
    const g = gcd(n, d);
    return new Rational((sign * n) / g, (sign * d) / g);
  }

  /**
   * Parses `"n/d"`, an integer, or a decimal with optional exponent (`"0.05"`, `"1e-9"`). Decimals
   * are read exactly: `"0.1"` is 1/10, not the nearest binary float.
   */
  static parse(text: string): Rational {
    const fraction = FRACTION.exec(text);
    if (fraction) {
      const n = BigInt(fraction[2]);
      return Rational.of(fraction[1] === '-' ? -n : n, BigInt(fraction[3]));
    }
    const decimal = DECIMAL.exec(text);
    if (!decimal) throw new DpError('invalid-rational', `Rational: cannot parse "${text}"`);
    const [, sign, whole, fractionDigits = '', exponentText = '0'] = decimal;
    const exponent = Number(exponentText) - fractionDigits.length;
    if (Math.abs(exponent) > MAX_DECIMAL_EXPONENT) {
      throw new DpError('invalid-rational', `Rational: exponent out of range in "${text}"`);
    }
    let n = BigInt(whole + fractionDigits);
    if (sign === '-') n = -n;
    return exponent >= 0
      ? Rational.of(n * 10n ** BigInt(exponent))
      : Rational.of(n, 10n ** BigInt(-exponent));
  }

  /** Accepts a `Rational` as is, an integer, or text for `parse`. */
  static from(value: RationalLike): Rational {
    if (value instanceof Rational) return value;
    if (typeof value === 'bigint') return new Rational(value, 1n);
    return Rational.parse(value);
  }

  static min(a: Rational, b: Rational): Rational {
    return a.compare(b) <= 0 ? a : b;
  }

  static max(a: Rational, b: Rational): Rational {
    return a.compare(b) >= 0 ? a : b;
  }

  add(other: RationalLike): Rational {
    return this.plus(Rational.from(other), 1n);
  }

  sub(other: RationalLike): Rational {
    return this.plus(Rational.from(other), -1n);
  }

  mul(other: RationalLike): Rational {
    const o = Rational.from(other);
    return Rational.of(this.numerator * o.numerator, this.denominator * o.denominator);
  }

  div(other: RationalLike): Rational {
    const o = Rational.from(other);
    if (o.numerator === 0n) throw new DpError('division-by-zero', 'Rational: division by zero');
    return Rational.of(this.numerator * o.denominator, this.denominator * o.numerator);
  }

  neg(): Rational {
    return new Rational(-this.numerator, this.denominator);
  }

  abs(): Rational {
    return this.numerator < 0n ? this.neg() : this;
  }

  reciprocal(): Rational {
    return Rational.ONE.div(this);
  }

  /** -1, 0 or 1 as `this` is below, equal to or above `other`. */
  compare(other: RationalLike): -1 | 0 | 1 {
    const o = Rational.from(other);
    const left = this.numerator * o.denominator;
    const right = o.numerator * this.denominator;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  equals(other: RationalLike): boolean {
    return this.compare(other) === 0;
  }

  lt(other: RationalLike): boolean {
    return this.compare(other) < 0;
  }

  lte(other: RationalLike): boolean {
    return this.compare(other) <= 0;
  }

  gt(other: RationalLike): boolean {
    return this.compare(other) > 0;
  }

  gte(other: RationalLike): boolean {
    return this.compare(other) >= 0;
  }

  sign(): -1 | 0 | 1 {
    return this.numerator < 0n ? -1 : this.numerator > 0n ? 1 : 0;
  }

  isZero(): boolean {
    return this.numerator === 0n;
  }

  isInteger(): boolean {
    return this.denominator === 1n;
  }

  // this + sign * o with Knuth's reduction (TAOCP 4.5.1): gcds of the denominators only, so sums of
  // ledger charges stay cheap.
  private plus(o: Rational, sign: 1n | -1n): Rational {
    const d1 = this.denominator;
    const d2 = o.denominator;
    const g = gcd(d1, d2);
    if (g === 1n) {
      return new Rational(this.numerator * d2 + sign * o.numerator * d1, d1 * d2);
    }
    const t = this.numerator * (d2 / g) + sign * o.numerator * (d1 / g);
    const g2 = gcd(t, g);
    return t === 0n ? Rational.ZERO : new Rational(t / g2, (d1 / g) * (d2 / g2));
  }

  /** The largest integer not above `this` (bigint division truncates toward zero; fix negatives). */
  floor(): bigint {
    const q = this.numerator / this.denominator;
    return this.numerator < 0n && q * this.denominator !== this.numerator ? q - 1n : q;
  }

  /** The smallest integer not below `this`. */
  ceil(): bigint {
    return -this.neg().floor();
  }

  /** Canonical text `"n/d"`, or `"n"` for integers; `Rational.parse` reads it back. */
  toString(): string {
    return this.denominator === 1n
      ? this.numerator.toString()
      : `${this.numerator}/${this.denominator}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
