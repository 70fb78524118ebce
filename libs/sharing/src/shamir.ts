import { type RandomSource, seededRandom } from '#concord/crypto';
import {
  addInto,
  combineSmall,
  type FieldVector,
  type PrimeField,
  randomVector,
} from '#concord/field';
import { othersOf, type PartyIndex } from './parties.js';
import { SharingError } from './sharing-error.js';

/** One share per party: `shares[k - 1]` is f(k) for f(x) = secret + r·x. */
export type Shares = readonly [FieldVector, FieldVector, FieldVector];

/**
 * Shamir-shares a whole vector with threshold t = 1 among three parties: one fresh random
 * degree-1 polynomial per element, f(x) = secret + r·x, evaluated at x = 1, 2, 3.
 */
export function shareVector(secret: FieldVector, rng: RandomSource): Shares {
  const r = randomVector(secret.field, secret.length, rng);
  const s1 = { ...secret, data: secret.data.slice() };
  addInto(s1, r);
  const s2 = { ...s1, data: s1.data.slice() };
  addInto(s2, r);
  const s3 = { ...s2, data: s2.data.slice() };
  addInto(s3, r);
  return [s1, s2, s3];
}

/** What a dealer sends one receiver: the share itself, or a 32-byte seed that expands to it. */
export type ShareMessage =
  | { readonly kind: 'vector'; readonly vector: FieldVector }
  | { readonly kind: 'seed'; readonly seed: Uint8Array };

export interface Dealing {
  /** The dealer's own share. */
  readonly own: FieldVector;
  /** One message per other party. */
  readonly messages: ReadonlyMap<PartyIndex, ShareMessage>;
}

export const SEED_BYTES = 32;

/**
 * Deals a vector with half the traffic of plain sharing: the lower-indexed receiver's share is
 * the expansion of a fresh random seed (so it is sent as 32 bytes), which fixes the polynomial;
 * the other receiver's share is sent in full. Each receiver still holds one uniformly random
 * point of a degree-1 polynomial, so privacy is that of plain Shamir sharing (the seed's
 * expansion is AES-256-CTR, a PRG).
 */
export function dealVector(secret: FieldVector, dealer: PartyIndex, rng: RandomSource): Dealing {
  const { field, length } = secret;
  const [seeded, full] = othersOf(dealer);
  const seed = new Uint8Array(SEED_BYTES);
  rng.fill(seed);
  const seededShare = expandSeedShare(field, length, seed);
  // f(x) = s + r·x with f(a) fixed (a = seeded ∈ {1, 2}): r = (f(a) − s)/a, so
  // f(k) = ((a − k)·s + k·f(a)) / a — small coefficients, halved when a = 2.
  const at = (k: PartyIndex): FieldVector =>
    combineSmall(
      [
        { coefficient: seeded - k, vector: secret },
        { coefficient: k, vector: seededShare },
      ],
      seeded === 2,
    );
  return {
    own: at(dealer),
    messages: new Map<PartyIndex, ShareMessage>([
      [seeded, { kind: 'seed', seed }],
      [full, { kind: 'vector', vector: at(full) }],
    ]),
  };
}

/** The share a seed stands for (receivers call this on a `seed` message). */
export function expandSeedShare(field: PrimeField, length: number, seed: Uint8Array): FieldVector {
  if (seed.length !== SEED_BYTES)
    throw new SharingError('shape-mismatch', 'share seed must be 32 bytes');
  return randomVector(field, length, seededRandom(seed));
}

export function shareFromMessage(
  field: PrimeField,
  length: number,
  message: ShareMessage,
): FieldVector {
  if (message.kind === 'seed') return expandSeedShare(field, length, message.seed);
  if (message.vector.field !== field || message.vector.length !== length) {
    throw new SharingError('shape-mismatch', 'share has the wrong field or length');
  }
  return message.vector;
}

/** The secret from any two shares of a degree-1 sharing. */
export function reconstructPair(
  a: PartyIndex,
  shareA: FieldVector,
  b: PartyIndex,
  shareB: FieldVector,
): FieldVector {
  if (a === b)
    throw new SharingError('shape-mismatch', 'reconstruction needs two different parties');
  // λ_a = b/(b − a), λ_b = −a/(b − a); |b − a| is 1 or 2.
  const sign = b > a ? 1 : -1;
  return combineSmall(
    [
      { coefficient: sign * b, vector: shareA },
      { coefficient: -sign * a, vector: shareB },
    ],
    Math.abs(b - a) === 2,
  );
}

/**
 * Index of the first element whose three shares do not lie on one line (second difference
 * f(1) - 2 f(2) + f(3) ≠ 0 modulo some limb prime), or -1 when all are consistent.
 */
export function firstInconsistency(shares: Shares): number {
  const [a, b, c] = shares;
  const { field, length } = a;
  for (const s of [b, c]) {
    if (s.field !== field || s.length !== length)
      throw new SharingError('shape-mismatch', 'shares differ in shape');
  }
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const base = l * length;
    for (let i = 0; i < length; i++) {
      const j = base + i;
      // a + c − 2b lies in (−2p, 2p): it is 0 mod p exactly when it is −p, 0 or p.
      const d = a.data[j] + c.data[j] - 2 * b.data[j];
      // One test that is almost never true, instead of three comparisons that each go either
      // way at random: a product of non-zero integers never rounds to zero in a double.
      if (d * (d - p) * (d + p) !== 0) return i;
    }
  }
  return -1;
}

/**
 * Opens a degree-1 sharing with the three-point consistency check, as party `self` (whose own
 * share is trusted by itself). Throws `inconsistent-opening` naming the other two parties.
 */
export function openChecked(self: PartyIndex, shares: Shares): FieldVector {
  const bad = firstInconsistency(shares);
  if (bad >= 0) {
    throw new SharingError(
      'inconsistent-opening',
      `opened shares are not on one degree-1 polynomial (first at element ${bad})`,
      othersOf(self),
    );
  }
  return reconstructPair(1, shares[0], 2, shares[1]);
}
