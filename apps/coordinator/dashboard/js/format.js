/**
 * Display formatting. Released values arrive as decimal strings (noisy integers, possibly large
 * or negative) and are formatted exactly with BigInt; floats are used only for chart geometry.
 */

const MINUS = '\u2212';

/**
 * Groups digits of an integer string: "-12345" → "−12,345".
 * @param {string | bigint} value
 * @returns {string}
 */
export function formatInteger(value) {
  const n = BigInt(value);
  const grouped = (n < 0n ? -n : n).toLocaleString('en-US');
  return n < 0n ? `${MINUS}${grouped}` : grouped;
}

/**
 * A decimal string "−123.75" with grouping, keeping its digits.
 * @param {string} value
 * @returns {string}
 */
export function formatDecimal(value) {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, sign, whole, fraction] = match;
  const grouped = BigInt(whole).toLocaleString('en-US');
  return `${sign ? MINUS : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/**
 * Cents (an integer string) as dollars: "-495" → "−$4.95".
 * @param {string | bigint} cents
 * @returns {string}
 */
export function formatCents(cents) {
  const n = BigInt(cents);
  const abs = n < 0n ? -n : n;
  const text = `$${(abs / 100n).toLocaleString('en-US')}.${String(abs % 100n).padStart(2, '0')}`;
  return n < 0n ? `${MINUS}${text}` : text;
}

/**
 * A decimal number of cents ("162.00") as dollars rounded half away from zero to the cent.
 * @param {string} value
 * @returns {string}
 */
export function formatDecimalCents(value) {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, sign, whole, fraction = ''] = match;
  // Hundredths of a cent, then round to whole cents.
  const hundredths = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2) || '0');
  const rest = fraction.length > 2 && Number(fraction[2]) >= 5 ? 1n : 0n;
  const cents = (hundredths + rest + 50n) / 100n;
  return formatCents(sign ? -cents : cents);
}

/**
 * A bound of a derived ratio's range, rounded outward for display (down for a lower bound, up
 * for an upper one) so a shown range is never narrower than the API's.
 * @param {string} unit
 * @param {string} value   a decimal string from the API
 * @param {'down' | 'up'} direction
 * @returns {string}
 */
export function formatRatioBound(unit, value, direction) {
  if (unit !== 'cents' && !unit.startsWith('cents/')) return formatDecimal(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, sign, whole, fraction = ''] = match;
  let cents = sign ? -BigInt(whole) : BigInt(whole);
  if (/[1-9]/.test(fraction)) {
    // A fraction of a cent: floor moves a negative value down, ceiling a positive one up.
    if (direction === 'down' && sign) cents -= 1n;
    if (direction === 'up' && !sign) cents += 1n;
  }
  return formatCents(cents);
}

/**
 * How one unit of the API is shown: released integers, their intervals, ratios and chart axes.
 * @typedef {object} UnitFormat
 * @property {string} label         what the axis or column measures
 * @property {(value: string | bigint) => string} value   a released integer
 * @property {(value: string) => string} ratio             a derived decimal
 * @property {(value: string | bigint) => number} scale    chart coordinate
 */

/**
 * @param {string} unit
 * @returns {UnitFormat}
 */
export function unitFormat(unit) {
  if (unit === 'cents') {
    return {
      label: 'dollars',
      value: formatCents,
      ratio: formatDecimalCents,
      scale: (v) => Number(BigInt(v)) / 100,
    };
  }
  const perCents = /^cents\/(.+)$/.exec(unit);
  if (perCents) {
    return {
      label: `dollars per ${perCents[1]}`,
      value: formatCents,
      ratio: formatDecimalCents,
      scale: (v) => Number(v) / 100,
    };
  }
  return {
    label: unit,
    value: formatInteger,
    ratio: formatDecimal,
    scale: (v) => Number(v),
  };
}

/**
 * A chart tick in the unit's display form.
 * @param {string} unit
 * @param {number} value
 * @returns {string}
 */
export function formatTick(unit, value) {
  const text = Math.abs(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
  const signed = value < 0 ? `${MINUS}${text}` : text;
  return unit === 'cents' || unit.startsWith('cents/')
    ? signed.replace(/^(\u2212?)/, '$1$')
    : signed;
}

/**
 * @param {string | null} iso
 * @returns {string}
 */
export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/**
 * A hash or key shortened for tables; the full value goes in a title and a details view.
 * @param {string} hex
 * @param {number} [keep]
 * @returns {string}
 */
export function shortHash(hex, keep = 12) {
  return typeof hex === 'string' && hex.length > keep ? `${hex.slice(0, keep)}…` : String(hex);
}

/**
 * A float rounded up to `digits` significant digits (privacy loss is never understated).
 * @param {number} value
 * @param {number} [digits]
 * @returns {string}
 */
export function ceilSignificant(value, digits = 4) {
  if (!Number.isFinite(value) || value <= 0) return String(value);
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(value)));
  const rounded = Math.ceil(value * scale - 1e-9) / scale;
  return rounded.toLocaleString('en-US', { maximumSignificantDigits: digits });
}

/**
 * δ = 1e-9 as "10⁻⁹"; other values as written.
 * @param {number} delta
 * @returns {string}
 */
export function formatDelta(delta) {
  const exponent = Math.log10(delta);
  if (Number.isInteger(exponent)) {
    const superscript = String(exponent)
      .replace('-', '⁻')
      .replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]);
    return `10${superscript}`;
  }
  return String(delta);
}

/**
 * "serviceDate" → "Service date".
 * @param {string} name
 * @returns {string}
 */
export function humanize(name) {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
