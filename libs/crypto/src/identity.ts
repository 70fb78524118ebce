import { CryptoError } from './crypto-error.js';
import { ed25519PrivateKey, ed25519PublicKeyOf, ed25519Sign, ed25519Verify } from './ed25519.js';
import { randomBytes, type RandomSource } from './random.js';
import { taggedHash } from './hash.js';

/** An agency's long-term Ed25519 identity. The public half is pinned in the consortium file. */
export interface IdentityKeyPair {
  readonly publicKey: Uint8Array; // 32 bytes
  readonly secretKey: Uint8Array; // 32-byte seed
}

export function generateIdentityKeyPair(rng: RandomSource): IdentityKeyPair {
  const secretKey = randomBytes(rng, 32);
  return { secretKey, publicKey: ed25519PublicKeyOf(ed25519PrivateKey(secretKey)) };
}

export function identityFromSecret(secretKey: Uint8Array): IdentityKeyPair {
  if (secretKey.length !== 32)
    throw new CryptoError('invalid-key', 'identity secret key must be 32 bytes');
  return { secretKey, publicKey: ed25519PublicKeyOf(ed25519PrivateKey(secretKey)) };
}

/**
 * Signs `message` under a purpose tag. Every signature in Concord is domain-separated, so a
 * signature made for one purpose (say, a login challenge) can never be replayed as another
 * (say, a transcript seal).
 */
export function signTagged(
  secretKey: Uint8Array,
  purpose: string,
  message: Uint8Array,
): Uint8Array {
  return ed25519Sign(ed25519PrivateKey(secretKey), taggedHash(purpose, message));
}

/** Verifies a tagged signature; false (never throws) on any malformed input. */
export function verifyTagged(
  publicKey: Uint8Array,
  purpose: string,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  return ed25519Verify(publicKey, taggedHash(purpose, message), signature);
}
