import BigNumber from 'bignumber.js';
import { FieldError } from './field-error.js';

/**
 * Exact fixed-point encoding: a decimal amount at a declared scale becomes the integer
 * amount · 10^scale (money in cents is scale 2). Values that are not exact at the scale are
 * refused, never rounded: a fare of "2.005" at scale 2 is a data error, not a cent to lose.
 */
const Decimal = BigNumber.clone({
  DECIMAL_PLACES: 0,
  EXPONENTIAL_AT: 1e9,
  ROUNDING_MODE: BigNumber.ROUND_DOWN,
});

const MAX_SCALE = 18;

export function encodeFixed(amount: string | number, scale: number): bigint {
  assertScale(scale);
  if (typeof amount === 'number' && !Number.isFinite(amount)) {
    throw new FieldError('not-exact-at-scale', 'amount is not finite');
  }
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    throw new FieldError(
      'not-exact-at-scale',
      `not a decimal amount: ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  const scaled = new Decimal(text).shiftedBy(scale);
  if (!scaled.isInteger()) {
    throw new FieldError('not-exact-at-scale', `${text} has more than ${scale} decimal places`);
  }
  return BigInt(scaled.toFixed(0));
}

/** The decimal string of an encoded amount, with exactly `scale` decimals ("-1.50"). */
export function decodeFixed(value: bigint, scale: number): string {
  assertScale(scale);
  return new Decimal(value.toString()).shiftedBy(-scale).toFixed(scale);
}

function assertScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) {
    throw new FieldError('not-exact-at-scale', `scale must be an integer in [0, ${MAX_SCALE}]`);
  }
}
