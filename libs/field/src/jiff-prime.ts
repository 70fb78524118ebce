/** Primes JIFF-mode sessions compute modulo, smallest first (both are well-known primes). */
export const JIFF_PRIMES: readonly bigint[] = Object.freeze([2n ** 127n - 1n, 2n ** 255n - 19n]);

/**
 * The prime a JIFF-mode session of a plan computes modulo: the smallest of `JIFF_PRIMES` above the
 * plan field's modulus N. Every value the plan may release has magnitude at most (N − 1)/2, so it
 * decodes from Z_p exactly as from Z_N (signed, around zero), and the result digest re-encodes it in
 * the plan's field. Every party and the coordinator derive it from the plan alone.
 */
export function jiffPrimeFor(fieldModulus: bigint): bigint {
  const prime = JIFF_PRIMES.find((p) => p > fieldModulus);
  if (prime === undefined) throw new RangeError('no JIFF prime exceeds this field');
  return prime;
}
