import { randomBelow, type RandomSource, taggedHash, toHex, utf8 } from '#concord/crypto';

/** JIFF's default threshold for three parties: every party's share is needed to open. */
export const JIFF_THRESHOLD = 3;
const PARTIES = [1, 2, 3] as const;
const COMMIT_PURPOSE = 'concord/jiff-noise-commitment/v1';

/** A signed integer as an element of Z_p. */
export function toResidue(value: bigint, prime: bigint): bigint {
  const r = value % prime;
  return r < 0n ? r + prime : r;
}

/** The signed integer a residue stands for (the representative around zero). */
export function fromResidue(residue: bigint, prime: bigint): bigint {
  return residue > (prime - 1n) / 2n ? residue - prime : residue;
}

/**
 * Shamir shares of `secret` for parties 1, 2, 3 (evaluation points = party ids, as JIFF uses),
 * degree `JIFF_THRESHOLD − 1`, coefficients uniform in Z_p from `rng`.
 */
export function shamirShares(secret: bigint, prime: bigint, rng: RandomSource): bigint[] {
  const coefficients = [toResidue(secret, prime)];
  for (let d = 1; d < JIFF_THRESHOLD; d++) coefficients.push(randomBelow(rng, prime));
  return PARTIES.map((x) => {
    let y = 0n;
    for (let d = coefficients.length - 1; d >= 0; d--)
      y = (y * BigInt(x) + coefficients[d]) % prime;
    return y;
  });
}

/**
 * A party's noise dealt before any data moves: for every output and cell, the three JIFF shares
 * of its noise value (`[output][cell][party − 1]`). The JIFF client later sends exactly these
 * shares, so what each peer receives can be checked against the commitment published now.
 */
export function dealNoise(
  noise: readonly ArrayLike<number>[],
  prime: bigint,
  rng: RandomSource,
): bigint[][][] {
  return noise.map((vector) =>
    Array.from({ length: vector.length }, (_, i) => shamirShares(BigInt(vector[i]), prime, rng)),
  );
}

/**
 * The commitment to the noise shares `from` deals to `to`: a tagged hash over the session, the two
 * parties and the shares (every output, every cell, plan order). Each share of a degree-two
 * sharing is uniform in Z_p whatever the noise, so the commitment reveals nothing about it.
 */
export function noiseCommitment(
  sessionId: string,
  from: number,
  to: number,
  shares: readonly (bigint | string)[],
): string {
  return toHex(
    taggedHash(
      COMMIT_PURPOSE,
      utf8(sessionId),
      Uint8Array.of(from, to),
      utf8(shares.map(String).join(',')),
    ),
  );
}

/** The shares of `dealt` that party `to` receives, in commitment order. */
export function sharesFor(
  dealt: readonly (readonly (readonly bigint[])[])[],
  to: number,
): bigint[] {
  return dealt.flatMap((output) => output.map((cell) => cell[to - 1]));
}
