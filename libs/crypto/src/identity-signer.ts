import { CryptoError } from './crypto-error.js';
import { ed25519PrivateKey, ed25519PublicKeyOf, ed25519Sign } from './ed25519.js';
import { taggedHash } from './hash.js';

/**
 * Where an agency's identity secret lives. `plain-file` is the demo's unencrypted key file and
 * must be named as such wherever it is used; the other two never hold the secret in clear on disk
 * (`pkcs11`: never outside the token at all).
 */
export type KeyCustody = 'plain-file' | 'encrypted-file' | 'pkcs11';

/**
 * An agency's Ed25519 identity as the protocol uses it: a public key and a way to sign, without
 * necessarily the secret (an HSM keeps it). Signatures are over `taggedHash(purpose, message)`,
 * so every implementation yields the same bytes for the same key (Ed25519 is deterministic).
 */
export interface IdentitySigner {
  readonly publicKey: Uint8Array; // 32 bytes
  readonly custody: KeyCustody;
  signTagged(purpose: string, message: Uint8Array): Uint8Array;
}

/** A signer over a secret held in this process's memory (decrypted key files, tests). */
export function inMemorySigner(secretKey: Uint8Array, custody: KeyCustody): IdentitySigner {
  if (secretKey.length !== 32)
    throw new CryptoError('invalid-key', 'identity secret key must be 32 bytes');
  // OpenSSL holds the key from here on; no copy of the seed stays in this object.
  const key = ed25519PrivateKey(secretKey);
  return {
    publicKey: ed25519PublicKeyOf(key),
    custody,
    signTagged: (purpose, message) => ed25519Sign(key, taggedHash(purpose, message)),
  };
}
