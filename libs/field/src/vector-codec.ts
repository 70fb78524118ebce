import { endianness } from 'node:os';
import { FieldError } from './field-error.js';
import type { FieldVector } from './field-vector.js';
import type { PrimeField } from './prime-field.js';

// The wire format is little-endian uint32 limbs; on a little-endian host (every platform Node
// ships for today) encoding is a zero-copy view of the vector.
if (endianness() !== 'LE') throw new Error('Concord requires a little-endian host');

/** The vector's limbs as bytes (limb-major, little-endian uint32): 4 · limbs · length bytes. */
export function vectorToBytes(v: FieldVector): Uint8Array {
  return new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
}

/**
 * Parses `length` elements of `field` from bytes, refusing a wrong size or any limb that is not
 * a canonical residue (below its prime): a malformed vector never enters arithmetic.
 */
export function vectorFromBytes(field: PrimeField, length: number, bytes: Uint8Array): FieldVector {
  const expected = 4 * field.limbs * length;
  if (bytes.byteLength !== expected) {
    throw new FieldError(
      'malformed-bytes',
      `expected ${expected} bytes for ${length} elements, got ${bytes.byteLength}`,
    );
  }
  const data =
    bytes.byteOffset % 4 === 0
      ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
      : // A fresh aligned copy (Buffer#slice would return a view, not a copy).
        new Uint32Array(new Uint8Array(bytes).buffer);
  const bad = firstNonCanonical(field, length, data, 0, data.length);
  if (bad >= 0) {
    throw new FieldError('malformed-bytes', `element ${bad % length} is not canonical`);
  }
  return { field, length, data };
}

/**
 * The first word in `[from, to)` of a vector's limbs (limb-major, `length` words per limb) that
 * is not below its limb's prime, or -1. A receiver checks each range as its bytes arrive, while
 * they are still in the cache.
 */
export function firstNonCanonical(
  field: PrimeField,
  length: number,
  words: Uint32Array,
  from: number,
  to: number,
): number {
  let i = from;
  while (i < to) {
    const limb = Math.floor(i / length);
    const p = field.primes[limb];
    const end = Math.min(to, (limb + 1) * length);
    for (; i < end; i++) if (words[i] >= p) return i;
  }
  return -1;
}
