import { safeIntegerDecimals } from '#concord/engine';
import { type FieldVector, toBigInts, toSafeIntegers } from '#concord/field';

/**
 * An output's released values as their canonical text ("12,-3,0", one value per cell: what the
 * release digest covers) held as bytes and value boundaries: a download reads each value where
 * it lies instead of splitting the text into a million strings (which, with joining them again
 * to check the digest, cost more than laying out the whole CSV, mostly in garbage collection).
 */
export interface StoredValues {
  /** The text's UTF-8 bytes. */
  readonly bytes: Buffer;
  /** Per value, the offset just past its last byte (its comma, or the end of the text). */
  readonly ends: Uint32Array;
  /** How many values: one more than the commas, as `text.split(',')` counts them. */
  readonly length: number;
  /** The values themselves, when they came as limbs and every one is a safe integer. */
  readonly numbers?: Float64Array;
}

const COMMA = 0x2c;

/**
 * The canonical text of a stored vector with each value's end, written in one pass (no string
 * per value, no string for the whole text) when first read: an Arrow download of a release
 * sealed over its limbs reads only `numbers` and never writes the text. Values beyond 2^53 take
 * the exact BigInt path.
 */
export function decimalValues(vector: FieldVector): StoredValues {
  let numbers: Float64Array;
  try {
    numbers = toSafeIntegers(vector);
  } catch {
    return storedValues(toBigInts(vector).join(','));
  }
  const safe = numbers;
  let text: { readonly bytes: Buffer; readonly ends: Uint32Array } | undefined;
  const written = () => (text ??= safeIntegerDecimals(safe));
  return {
    get bytes() {
      return written().bytes;
    },
    get ends() {
      return written().ends;
    },
    length: numbers.length,
    numbers,
  };
}

export function storedValues(text: string): StoredValues {
  const bytes = Buffer.from(text, 'utf8');
  let commas = 0;
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] === COMMA) commas += 1;
  const ends = new Uint32Array(commas + 1);
  let k = 0;
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] === COMMA) ends[k++] = i;
  ends[k] = bytes.length;
  return { bytes, ends, length: commas + 1 };
}

/** Where value `k` starts. */
export function valueStart(values: StoredValues, k: number): number {
  return k === 0 ? 0 : values.ends[k - 1] + 1;
}

/** Value `k` as text (a comma never falls inside a multi-byte character, so this is exact). */
export function valueText(values: StoredValues, k: number): string {
  return values.bytes.toString('utf8', valueStart(values, k), values.ends[k]);
}

/** Whether bytes [start, end) are a decimal integer, as /^-?\d+$/ says of the text. */
export function isDecimalInteger(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start < end && bytes[start] === 0x2d ? start + 1 : start;
  if (i >= end) return false;
  for (; i < end; i += 1) {
    const b = bytes[i];
    if (b < 0x30 || b > 0x39) return false;
  }
  return true;
}
