import { concatBytes, utf8 } from '#concord/crypto';
import { AtRestError } from './at-rest-error.js';

/**
 * The sealed-file format, version 1 (docs/security.md, 'Encryption at rest', byte by byte):
 *
 *   magic(8) version(1) nonce(12) | idLen(1) kekId(idLen) keyLen(2, big-endian) wrappedKey(keyLen) | ciphertext tag(16)
 *   \________ fixed header _______/ \__________________ key slot __________________________________/ \____ body ____/
 *
 * The body is AES-256-GCM under the file's own data key, with the fixed header and the context as
 * associated data. The key slot is outside that associated data on purpose: re-wrapping the data
 * key under a new KEK replaces the key slot and leaves the body byte for byte as it was. The slot
 * is authenticated all the same: the KEK's wrap binds the context, and a data key other than the
 * one that sealed the body fails the body's tag.
 */
export const SEALED_MAGIC = Uint8Array.of(0x89, 0x43, 0x4e, 0x43, 0x53, 0x45, 0x41, 0x4c); // \x89CNCSEAL
export const SEALED_VERSION = 1;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const FIXED_HEADER_BYTES = SEALED_MAGIC.length + 1 + NONCE_BYTES;
const MAX_KEK_ID_BYTES = 255;
const MAX_WRAPPED_KEY_BYTES = 4096;

export interface SealedParts {
  readonly nonce: Uint8Array;
  readonly kekId: string;
  readonly wrappedKey: Uint8Array;
  /** Ciphertext followed by the 16-byte GCM tag. */
  readonly body: Uint8Array;
}

/** True when `bytes` starts with the sealed-file magic (whatever follows). */
export function looksSealed(bytes: Uint8Array): boolean {
  return bytes.length >= SEALED_MAGIC.length && SEALED_MAGIC.every((b, i) => bytes[i] === b);
}

/** The bytes of a sealed file from its parts. */
export function encodeSealed(parts: SealedParts): Uint8Array {
  const id = utf8(parts.kekId);
  if (id.length < 1 || id.length > MAX_KEK_ID_BYTES)
    throw new RangeError(`a KEK id is 1 to ${MAX_KEK_ID_BYTES} bytes of UTF-8`);
  if (parts.wrappedKey.length < 1 || parts.wrappedKey.length > MAX_WRAPPED_KEY_BYTES)
    throw new RangeError(`a wrapped data key is 1 to ${MAX_WRAPPED_KEY_BYTES} bytes`);
  if (parts.nonce.length !== NONCE_BYTES || parts.body.length < TAG_BYTES)
    throw new RangeError('a sealed file has a 12-byte nonce and a body of at least its tag');
  const keyLen = new Uint8Array(2);
  new DataView(keyLen.buffer).setUint16(0, parts.wrappedKey.length);
  return concatBytes(
    fixedHeader(parts.nonce),
    Uint8Array.of(id.length),
    id,
    keyLen,
    parts.wrappedKey,
    parts.body,
  );
}

/** The fixed header (magic, version, nonce): the body's associated data with the context. */
export function fixedHeader(nonce: Uint8Array): Uint8Array {
  return concatBytes(SEALED_MAGIC, Uint8Array.of(SEALED_VERSION), nonce);
}

/**
 * Splits a sealed file into its parts, checking its form only (nothing is authenticated here).
 * `name` (the file's path) is in every error's message.
 */
export function decodeSealed(bytes: Uint8Array, name: string): SealedParts {
  const refuse = (
    code:
      | 'at-rest-not-sealed'
      | 'at-rest-unsupported-version'
      | 'at-rest-truncated'
      | 'at-rest-tampered',
    why: string,
  ): never => {
    throw new AtRestError(code, `${name}: ${why}; the file was refused and not used`);
  };
  const magicSeen = Math.min(bytes.length, SEALED_MAGIC.length);
  if (!SEALED_MAGIC.subarray(0, magicSeen).every((b, i) => bytes[i] === b))
    refuse(
      'at-rest-not-sealed',
      'not a Concord sealed file (its first bytes are not the sealed-file magic)',
    );
  if (bytes.length <= SEALED_MAGIC.length)
    refuse('at-rest-truncated', 'the file ends inside its header');
  if (bytes[SEALED_MAGIC.length] !== SEALED_VERSION)
    refuse(
      'at-rest-unsupported-version',
      `sealed-file format version ${bytes[SEALED_MAGIC.length]}, this node reads version ${SEALED_VERSION}`,
    );
  let at = FIXED_HEADER_BYTES;
  const take = (n: number, what: string): Uint8Array => {
    if (bytes.length < at + n) refuse('at-rest-truncated', `the file ends inside its ${what}`);
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  if (bytes.length < FIXED_HEADER_BYTES)
    refuse('at-rest-truncated', 'the file ends inside its header');
  const nonce = bytes.subarray(SEALED_MAGIC.length + 1, FIXED_HEADER_BYTES);
  const idLen = take(1, 'key slot')[0];
  if (idLen === 0) refuse('at-rest-tampered', 'its key slot names no KEK (altered)');
  let kekId = '';
  try {
    kekId = new TextDecoder('utf-8', { fatal: true }).decode(take(idLen, 'key slot'));
  } catch (e) {
    if (e instanceof AtRestError) throw e;
    refuse('at-rest-tampered', 'its KEK id is not UTF-8 (altered)');
  }
  const lenBytes = take(2, 'key slot');
  const keyLen = (lenBytes[0] << 8) | lenBytes[1];
  if (keyLen === 0) refuse('at-rest-tampered', 'its key slot holds no wrapped key (altered)');
  const wrappedKey = take(keyLen, 'key slot');
  const body = bytes.subarray(at);
  if (body.length < TAG_BYTES)
    refuse('at-rest-truncated', 'the file ends before its authentication tag');
  return { nonce, kekId, wrappedKey, body };
}
