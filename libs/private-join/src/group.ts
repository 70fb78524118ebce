import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { randomBelow, type RandomSource } from '#concord/crypto';
import { PrivateJoinError } from './private-join-error.js';

/** A ristretto255 group element (noble's point class). */
export type GroupElement = InstanceType<typeof ristretto255.Point>;

/** The canonical encoding of one ristretto255 element (RFC 9496 §4.3.2). */
export const POINT_BYTES = 32;

/**
 * The RFC 9380 domain-separation tag: a token hashed here never equals the hash of the same bytes
 * in another protocol (or another version of this one), so blinded lists cannot be replayed
 * across them.
 */
export const PRIVATE_JOIN_DST = 'concord/private-join/v1';

/** The prime order ℓ of ristretto255: secret exponents are drawn from [1, ℓ). */
export const GROUP_ORDER: bigint = ristretto255.Point.Fn.ORDER;

const encoder = new TextEncoder();

/**
 * H(t): RFC 9380 hash_to_ristretto255 (expand_message_xmd with SHA-512, then the RFC 9496
 * element derivation) under `PRIVATE_JOIN_DST`. A random oracle into the group, so H(t)^k for a
 * secret k is a pseudorandom function of t (the DDH assumption in ristretto255).
 */
export function hashToken(token: string): GroupElement {
  return ristretto255_hasher.hashToCurve(encoder.encode(token), { DST: PRIVATE_JOIN_DST });
}

/** A fresh secret blinding exponent, uniform in [1, ℓ) (never 0, which would map all to identity). */
export function randomExponent(rng: RandomSource): bigint {
  return randomBelow(rng, GROUP_ORDER - 1n) + 1n;
}

/**
 * P^k. noble's `multiply` is the constant-time ladder (a secret exponent must not leak through
 * timing); `multiplyUnsafe` is faster but variable-time, so it is not used here.
 */
export function blind(point: GroupElement, exponent: bigint): GroupElement {
  return point.multiply(exponent);
}

/**
 * Decodes one received element, refusing what a blinded token hash can never be: a non-canonical
 * or off-group encoding (RFC 9496 decoding rejects both) and the identity (H(t)^k is the
 * identity only if k = 0 mod ℓ or with negligible probability; an identity in a list would be a
 * sender trying to make every entry match or collide).
 */
export function decodeElement(bytes: Uint8Array, where: string): GroupElement {
  let point: GroupElement;
  try {
    point = ristretto255.Point.fromBytes(bytes);
  } catch (cause) {
    throw new PrivateJoinError(
      'malformed-point',
      `${where} is not a canonical ristretto255 encoding`,
      { cause },
    );
  }
  if (point.is0()) throw new PrivateJoinError('identity-point', `${where} is the identity element`);
  return point;
}
