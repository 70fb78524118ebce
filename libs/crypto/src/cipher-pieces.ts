import type { Cipher, Decipher } from 'node:crypto';

/**
 * How much a stream cipher is fed per call. One `update` over a multi-megabyte vector is about a
 * third as fast here as the same bytes in 64 KiB pieces (measured: AES-256-GCM 1.0 against
 * 2.9 GB/s, best of 15): a piece and its output stay in the core's cache, and Node allocates a
 * small output per call instead of one the size of the vector.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * Runs `input` through `cipher` into `output` from offset `at`, a piece at a time, and returns
 * the offset just past what was written. The bytes are exactly those of one `update` call.
 */
export function updateInto(
  cipher: Cipher | Decipher,
  input: Uint8Array,
  output: Uint8Array,
  at: number,
): number {
  let written = at;
  for (let from = 0; from < input.length; from += PIECE_BYTES) {
    const piece = cipher.update(input.subarray(from, Math.min(from + PIECE_BYTES, input.length)));
    output.set(piece, written);
    written += piece.length;
  }
  return written;
}

/** Zeros a keystream is drawn over, one piece at a time (never written to). */
const ZERO_PIECE: Uint8Array = new Uint8Array(PIECE_BYTES);

/** Fills `out` with `cipher`'s keystream (its encryption of zeros), a piece at a time. */
export function keystreamInto(cipher: Cipher, out: Uint8Array): void {
  for (let from = 0; from < out.length; from += PIECE_BYTES) {
    const length = Math.min(PIECE_BYTES, out.length - from);
    out.set(cipher.update(ZERO_PIECE.subarray(0, length)), from);
  }
}
