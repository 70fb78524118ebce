import { createCipheriv, createDecipheriv } from 'node:crypto';
import {
  concatBytes,
  type KeyEncryptionKey,
  type RandomSource,
  randomBytes,
  systemRandom,
  taggedHash,
  toHex,
  utf8,
} from '#concord/crypto';
import { AtRestError } from './at-rest-error.js';

const WRAP_AAD = utf8('concord/at-rest/v1/wrap');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A KEK held in this process as 32 bytes (an operator's key, or one derived from a passphrase):
 * it wraps a data key with AES-256-GCM, a fresh random nonce per wrap, and the context as
 * associated data. Wrapped form: nonce(12) ‖ ciphertext ‖ tag(16). Random 96-bit nonces under
 * one KEK stay safe far past any node's number of writes (the usual bound is 2^32 wraps).
 */
export function aesGcmKek(
  key: Uint8Array,
  id: string,
  rng: RandomSource = systemRandom,
): KeyEncryptionKey {
  if (key.length !== 32) throw new RangeError('an AES-256 KEK is 32 bytes');
  const held = Uint8Array.from(key);
  return Object.freeze({
    id,
    wrap(dataKey: Uint8Array, context: Uint8Array): Uint8Array {
      const nonce = randomBytes(rng, NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', held, nonce);
      cipher.setAAD(concatBytes(WRAP_AAD, context));
      return concatBytes(nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag());
    },
    unwrap(wrapped: Uint8Array, context: Uint8Array): Uint8Array {
      const refused = (cause?: unknown): AtRestError =>
        new AtRestError(
          'at-rest-tampered',
          `the wrapped data key did not authenticate under KEK ${id} for this context`,
          { cause },
        );
      if (wrapped.length <= NONCE_BYTES + TAG_BYTES) throw refused();
      const decipher = createDecipheriv('aes-256-gcm', held, wrapped.subarray(0, NONCE_BYTES));
      decipher.setAAD(concatBytes(WRAP_AAD, context));
      decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
      try {
        return concatBytes(
          decipher.update(wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES)),
          decipher.final(),
        );
      } catch (e) {
        throw refused(e);
      }
    },
  });
}

/**
 * The non-secret fingerprint of a 32-byte key: 64 bits of a tagged SHA-256, enough to tell KEKs
 * apart in a file's key slot and in logs, and no help in finding the key.
 */
export function keyFingerprint(key: Uint8Array): string {
  return toHex(taggedHash('concord/at-rest/v1/kek-fingerprint', key)).slice(0, 16);
}
