import { type FieldVector, fromBigInts, fromSafeIntegers, type PrimeField } from '#concord/field';

/**
 * Published value text back as the field vector it spells: exactly `cells` canonical decimals
 * ("12,-3,0": no leading zeros, no "-0", no sign but a leading minus), each within the field's
 * signed range. Undefined for anything else. Canonical text and vectors correspond one to one, so
 * a verifier holding the text re-hashes the limbs a version 2 release digest covers, and text
 * spelled any other way ("07", "+7", "-0", a value beyond the field) never verifies.
 */
export function publishedVector(
  field: PrimeField,
  text: string,
  cells: number,
): FieldVector | undefined {
  const scanned = scanSafeDecimals(text, cells);
  try {
    return scanned === 'wide'
      ? wideDecimals(field, text, cells)
      : scanned && fromSafeIntegers(field, scanned);
  } catch {
    return undefined; // beyond the field's range
  }
}

/**
 * Parses exactly `cells` canonical decimals of at most 15 digits (exact in a double) in one pass,
 * without a string per value: a million-cell release is 8 MB of text. 'wide' when a value has
 * more digits; undefined when the text is not `cells` canonical decimals.
 */
function scanSafeDecimals(text: string, cells: number): Float64Array | 'wide' | undefined {
  const out = new Float64Array(cells);
  let cell = 0;
  let value = 0;
  let digits = 0;
  let negative = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44; /* a final ',' closes the last value */
    if (c === 44 /* , */) {
      if (digits === 0 || cell === cells || (negative && value === 0)) return undefined;
      out[cell++] = negative ? -value : value;
      value = 0;
      digits = 0;
      negative = false;
    } else if (c === 45 /* - */) {
      if (digits > 0 || negative) return undefined;
      negative = true;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return undefined; // a leading zero
      if (++digits > 15) return 'wide';
      value = value * 10 + (c - 48);
    } else {
      return undefined;
    }
  }
  return cell === cells ? out : undefined;
}

/** The slow path for values beyond 15 digits: one BigInt each. */
function wideDecimals(field: PrimeField, text: string, cells: number): FieldVector | undefined {
  const values = text.split(',');
  if (values.length !== cells) return undefined;
  for (const v of values) {
    if (!/^-?(0|[1-9][0-9]*)$/.test(v) || v === '-0') return undefined;
  }
  return fromBigInts(field, values.map(BigInt));
}
