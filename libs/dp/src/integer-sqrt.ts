import { DpError } from './dp-error.js';

/** floor(sqrt(n)) for a non-negative bigint, by Newton's iteration from above (exact). */
export function integerSqrt(n: bigint): bigint {
  if (n < 0n) throw new DpError('invalid-parameter', 'integerSqrt: negative argument');
  if (n < 2n) return n;
  // Start from a power of two above sqrt(n); Newton's iterates then decrease monotonically to
  // the floor of the root.
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}
