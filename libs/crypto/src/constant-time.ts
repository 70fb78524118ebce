import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets (tokens, MACs, digests a party must not learn byte by byte) in time that
 * depends only on their lengths. Lengths are not secret here: every caller compares fixed-size
 * values.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
