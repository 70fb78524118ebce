import { createHash } from 'node:crypto';
import { ristretto255 } from '@noble/curves/ed25519.js';
import sodium from 'libsodium-wrappers-sumo';
import { randomBelow, type RandomSource } from '#concord/crypto';
import { PrivateJoinError } from './private-join-error.js';

// libsodium's WebAssembly instantiates asynchronously, once per process.
await sodium.ready;

/**
 * A ristretto255 group element, as its 32-byte canonical encoding (RFC 9496 §4.3.2). Encodings
 * are unique, so equal bytes are equal elements: matching compares bytes.
 */
export type GroupElement = Uint8Array;

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
const DST_BYTES = encoder.encode(PRIVATE_JOIN_DST);

/*
 * The group operations run in libsodium (its constant-time ristretto255, compiled to
 * WebAssembly): about 12 times the scalar multiplications per second of @noble/curves on this
 * machine (docs/performance.md, the join benchmark). `group.spec.ts` checks both give the same
 * bytes for hashing and blinding, so the choice is invisible on the wire.
 */

/**
 * H(t): RFC 9380 hash_to_ristretto255 — expand_message_xmd with SHA-512 to 64 bytes, then the
 * RFC 9496 element derivation (libsodium's `crypto_core_ristretto255_from_hash`) — under
 * `PRIVATE_JOIN_DST`. A random oracle into the group, so H(t)^k for a secret k is a
 * pseudorandom function of t (the DDH assumption in ristretto255).
 */
export function hashToken(token: string): GroupElement {
  return sodium.crypto_core_ristretto255_from_hash(expandToUniform64(encoder.encode(token)));
}

// expand_message_xmd's constant parts for SHA-512 (block 128 bytes) and a 64-byte output.
const Z_PAD = new Uint8Array(128);
const DST_PRIME = Uint8Array.from([...DST_BYTES, DST_BYTES.length]);
/** I2OSP(64, 2) ‖ I2OSP(0, 1): the output length, then b_0's counter byte. */
const LENGTH_AND_ZERO = Uint8Array.from([0, 64, 0]);
const ONE = Uint8Array.of(1);

/**
 * RFC 9380 §5.3.1 expand_message_xmd(msg, DST, 64) with SHA-512, where one block suffices
 * (ell = 1): b_0 = H(Z_pad ‖ msg ‖ I2OSP(64, 2) ‖ I2OSP(0, 1) ‖ DST_prime), and the output is
 * b_1 = H(b_0 ‖ I2OSP(1, 1) ‖ DST_prime) (b_0 ⊕ 0 = b_0). Node's native SHA-512 instead of a
 * JavaScript one: hashing was a third of a holder's first pass. `group.spec.ts` checks the
 * result against @noble/curves' `expand_message_xmd` and hash to curve.
 */
export function expandToUniform64(message: Uint8Array): Uint8Array {
  const b0 = createHash('sha512')
    .update(Z_PAD)
    .update(message)
    .update(LENGTH_AND_ZERO)
    .update(DST_PRIME)
    .digest();
  const b1 = createHash('sha512').update(b0).update(ONE).update(DST_PRIME).digest();
  return new Uint8Array(b1.buffer, b1.byteOffset, b1.byteLength);
}

/** A fresh secret blinding exponent, uniform in [1, ℓ) (never 0, which would map all to identity). */
export function randomExponent(rng: RandomSource): bigint {
  return randomBelow(rng, GROUP_ORDER - 1n) + 1n;
}

/** P^k, by libsodium's constant-time scalar multiplication (a secret exponent must not leak). */
export function blind(point: GroupElement, exponent: bigint): GroupElement {
  return sodium.crypto_scalarmult_ristretto255(scalarBytes(exponent), point);
}

/** k < ℓ < 2^253 as the 32 little-endian bytes libsodium takes. */
function scalarBytes(k: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let rest = k;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/**
 * Decodes one received element, refusing what a blinded token hash can never be: a non-canonical
 * or off-group encoding (RFC 9496 decoding rejects both) and the identity (H(t)^k is the
 * identity only if k = 0 mod ℓ or with negligible probability; an identity in a list would be a
 * sender trying to make every entry match or collide).
 */
export function decodeElement(bytes: Uint8Array, where: string): GroupElement {
  if (bytes.length !== POINT_BYTES || !sodium.crypto_core_ristretto255_is_valid_point(bytes)) {
    throw new PrivateJoinError(
      'malformed-point',
      `${where} is not a canonical ristretto255 encoding`,
    );
  }
  if (bytes.every((b) => b === 0)) {
    throw new PrivateJoinError('identity-point', `${where} is the identity element`);
  }
  return Uint8Array.from(bytes);
}
