import { type RandomSource, toHex } from '#concord/crypto';

/**
 * The size a holder's list is padded to: the next power of two (at least 1), but never past the
 * join's capacity. A list's length is then known to the other holder, the matcher and the
 * coordinator only to within a factor of two (and the emptiness of a list not at all), for at
 * most twice the group operations.
 */
export function paddedListSize(length: number, capacity: number): number {
  let size = 1;
  while (size < length) size *= 2;
  return Math.max(length, Math.min(size, capacity));
}

/**
 * `tokens` followed by dummies up to `size`: a NUL, then 256 random bits each, so no real token
 * of either holder equals one except by guessing those bits. A dummy blinds like any token and
 * never matches: its join position holds an empty row and a 0 indicator.
 */
export function padTokenList(tokens: readonly string[], size: number, rng: RandomSource): string[] {
  const padded = [...tokens];
  const bytes = new Uint8Array(32);
  while (padded.length < size) {
    rng.fill(bytes);
    padded.push(`\u0000dummy:${toHex(bytes)}`);
  }
  return padded;
}
