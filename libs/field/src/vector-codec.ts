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
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const end = (l + 1) * length;
    for (let i = l * length; i < end; i++) {
      if (data[i] >= p)
        throw new FieldError('malformed-bytes', `element ${i - l * length} is not canonical`);
    }
  }
  return { field, length, data };
}
