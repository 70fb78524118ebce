/**
 * A derived ratio cell from released values: the same rules as the coordinator's
 * (apps/coordinator/src/sessions/derived-ratios.ts), for sums over slices, which the API does not
 * list one by one. Exact with BigInt: the value rounded half away from zero, the range rounded
 * outward, or the reason there is none; a share's range clipped to [0, 1].
 */

/**
 * @typedef {object} RatioCell
 * @property {string | null} value   raw ratio (a share may lie outside [0, 1]); null if d <= 0
 * @property {[string, string] | null} range
 * @property {string | null} reason  why there is no range (null when there is one)
 */

/**
 * @param {string} unit
 * @param {bigint} n
 * @param {bigint} hn
 * @param {bigint} d
 * @param {bigint} hd
 * @param {string} denominatorName
 * @returns {RatioCell}
 */
export function ratioCell(unit, n, hn, d, hd, denominatorName) {
  const digits = unit === 'share' ? 4 : 2;
  const value = d > 0n ? fixed(n, d, digits, 'half') : null;
  if (d - hd <= 0n) {
    return {
      value,
      range: null,
      reason: `not estimable at this budget: the ${denominatorName} released (${d} ± ${hd}) may be zero or negative, so the ratio is unbounded`,
    };
  }
  const [nLow, nHigh] = [n - hn, n + hn];
  /** @type {[string, string]} */
  let range = [
    fixed(nLow, nLow >= 0n ? d + hd : d - hd, digits, 'floor'),
    fixed(nHigh, nHigh >= 0n ? d - hd : d + hd, digits, 'ceil'),
  ];
  if (unit === 'share') range = [clipShare(range[0]), clipShare(range[1])];
  return { value, range, reason: null };
}

/**
 * @param {string} x
 * @returns {string}
 */
function clipShare(x) {
  return Number(x) < 0 ? '0.0000' : Number(x) > 1 ? '1.0000' : x;
}

/**
 * n / d (d > 0) to `digits` decimals, exactly: rounded half away from zero, down or up.
 * @param {bigint} n
 * @param {bigint} d
 * @param {number} digits
 * @param {'half' | 'floor' | 'ceil'} mode
 * @returns {string}
 */
export function fixed(n, d, digits, mode) {
  const scale = 10n ** BigInt(digits);
  const scaled =
    mode === 'half'
      ? (n * scale * 2n + (n >= 0n ? d : -d)) / (2n * d)
      : floorDiv(n * scale + (mode === 'ceil' ? d - 1n : 0n), d);
  const sign = scaled < 0n ? '-' : '';
  const abs = scaled < 0n ? -scaled : scaled;
  return `${sign}${abs / scale}.${(abs % scale).toString().padStart(digits, '0')}`;
}

/**
 * ⌊a / b⌋ for b > 0.
 * @param {bigint} a
 * @param {bigint} b
 * @returns {bigint}
 */
function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}
