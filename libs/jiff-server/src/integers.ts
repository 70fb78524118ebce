/** How a client wrote its numbers: base JIFF uses JSON numbers, the bignumber extension strings. */
export type NumberKind = 'number' | 'string';

const DECIMAL = /^-?[0-9]+$/;
/** bignumber.js 5 (used by jiff-mpc 1.0.0) serialises values of 21+ digits as e.g. "6.18e+26". */
const EXPONENTIAL = /^(-?)([0-9])(?:\.([0-9]+))?e\+?([0-9]{1,4})$/;

/**
 * An exact integer from a JSON number (safe integers only) or a decimal string (plain or
 * bignumber.js exponential notation denoting an integer) of at most `maxDigits` digits.
 * Returns undefined for anything else, so callers map it to their own error.
 */
export function parseInteger(value: unknown, maxDigits: number): bigint | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  }
  if (typeof value !== 'string' || value.length > maxDigits + 8) return undefined;
  if (DECIMAL.test(value)) {
    const digits = value.startsWith('-') ? value.length - 1 : value.length;
    return digits <= maxDigits ? BigInt(value) : undefined;
  }
  const m = EXPONENTIAL.exec(value);
  if (m === null) return undefined;
  const [, sign, lead, fraction = '', exponentText] = m;
  const exponent = Number(exponentText);
  if (exponent < fraction.length || 1 + exponent > maxDigits) return undefined;
  return BigInt(`${sign}${lead}${fraction}${'0'.repeat(exponent - fraction.length)}`);
}

/** `value` written the way the client writes numbers (callers keep it below 2^53 for `number`). */
export function formatInteger(value: bigint, kind: NumberKind): number | string {
  return kind === 'number' ? Number(value) : value.toString();
}
