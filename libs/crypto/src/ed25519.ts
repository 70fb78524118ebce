import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { CryptoError } from './crypto-error.js';
import { toHex } from './bytes.js';

/**
 * Ed25519 (RFC 8032) through Node's built-in OpenSSL. Every session signs and checks a dozen
 * statements (acceptances, seals, logins); @noble/curves took 1.1–1.4 ms per verification and
 * 0.5 ms per signature here, OpenSSL 0.08 and 0.03 ms, and those milliseconds sat on the path
 * of every report. Ed25519 signing is deterministic, so the signatures are the same bytes as
 * @noble/curves' (a spec checks it). Verification is RFC 8032's strict form (canonical encodings
 * only), a subset of what @noble/curves' default ZIP-215 rules accept: an honest signer's
 * signatures pass either way.
 */

// DER prefixes of an Ed25519 private key (PKCS #8, RFC 8410) and public key (SPKI): the raw
// 32-byte seed or point follows each.
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const SPKI_PREFIX = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);

/** A private key OpenSSL holds; the caller's seed bytes can be wiped once it exists. */
export function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  if (seed.length !== 32)
    throw new CryptoError('invalid-key', 'identity secret key must be 32 bytes');
  const der = new Uint8Array(PKCS8_PREFIX.length + 32);
  der.set(PKCS8_PREFIX);
  der.set(seed, PKCS8_PREFIX.length);
  try {
    return createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

/** The 32-byte public key of a private key. */
export function ed25519PublicKeyOf(key: KeyObject): Uint8Array {
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return Uint8Array.from(spki.subarray(SPKI_PREFIX.length));
}

export function ed25519Sign(key: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, key));
}

/**
 * Parsed public keys by hex: a consortium has a handful of identities, each checked many times.
 * Bounded, so a stream of unknown keys (a hostile login) cannot grow it.
 */
const publicKeys = new Map<string, KeyObject | null>();
const MAX_CACHED_KEYS = 256;

/** False (never throws) on a malformed key or signature, or one that does not verify. */
export function ed25519Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = publicKeyObject(publicKey);
  if (!key) return false;
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

function publicKeyObject(raw: Uint8Array): KeyObject | null {
  const hex = toHex(raw);
  const cached = publicKeys.get(hex);
  if (cached !== undefined) return cached;
  let key: KeyObject | null;
  try {
    const der = new Uint8Array(SPKI_PREFIX.length + 32);
    der.set(SPKI_PREFIX);
    der.set(raw, SPKI_PREFIX.length);
    key = createPublicKey({ key: Buffer.from(der.buffer), format: 'der', type: 'spki' });
  } catch {
    key = null; // not a point on the curve
  }
  if (publicKeys.size >= MAX_CACHED_KEYS) publicKeys.clear();
  publicKeys.set(hex, key);
  return key;
}
