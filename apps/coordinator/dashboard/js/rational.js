/**
 * Exact rationals for budgets ("1/2", "0.25", "2"), as the API writes them. Comparisons are
 * exact (BigInt cross-multiplication); conversion to a float is for display only.
 */

/** @typedef {{ num: bigint, den: bigint }} Rational */

const FORM = /^(-?)(\d{1,40})(?:\/(\d{1,40})|\.(\d{1,40}))?$/;

/**
 * @param {string} text
 * @returns {Rational | null}
 */
export function parseRational(text) {
  const match = FORM.exec(String(text).trim());
  if (!match) return null;
  const [, sign, whole, denominator, decimals] = match;
  let num = BigInt(whole);
  let den = 1n;
  if (denominator !== undefined) den = BigInt(denominator);
  if (decimals !== undefined) {
    den = 10n ** BigInt(decimals.length);
    num = num * den + BigInt(decimals);
  }
  if (den === 0n) return null;
  if (sign === '-') num = -num;
  const g = gcd(num < 0n ? -num : num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

/**
 * @param {Rational} a
 * @param {Rational} b
 * @returns {-1 | 0 | 1}
 */
export function compareRational(a, b) {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * @param {Rational} r
 * @returns {number}
 */
export function rationalToNumber(r) {
  return Number(r.num) / Number(r.den);
}

/**
 * Canonical text: "1/2", "2", "-3/4".
 * @param {Rational} r
 * @returns {string}
 */
export function formatRational(r) {
  return r.den === 1n ? String(r.num) : `${r.num}/${r.den}`;
}

/**
 * @param {bigint} a
 * @param {bigint} b
 * @returns {bigint}
 */
function gcd(a, b) {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
