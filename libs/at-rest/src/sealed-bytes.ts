import { createCipheriv, createDecipheriv } from 'node:crypto';
import {
  concatBytes,
  type KeyEncryptionKey,
  type RandomSource,
  randomBytes,
  systemRandom,
  wipe,
} from '#concord/crypto';
import { AtRestError } from './at-rest-error.js';
import { contextBytes, describeContext, type SealContext } from './seal-context.js';
import {
  decodeSealed,
  encodeSealed,
  fixedHeader,
  NONCE_BYTES,
  type SealedParts,
  TAG_BYTES,
} from './sealed-format.js';

const DATA_KEY_BYTES = 32;

/**
 * Seals `plaintext` for `context`: a fresh random 256-bit data key encrypts it (AES-256-GCM, a
 * fresh random nonce), and `kek` wraps that data key. Every call uses a new data key, so a nonce
 * is never reused under a key whatever the number of writes.
 */
export function sealBytes(
  plaintext: Uint8Array,
  kek: KeyEncryptionKey,
  context: SealContext,
  rng: RandomSource = systemRandom,
): Uint8Array {
  const ctx = contextBytes(context);
  const dataKey = randomBytes(rng, DATA_KEY_BYTES);
  try {
    const nonce = randomBytes(rng, NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', dataKey, nonce);
    cipher.setAAD(bodyAad(nonce, ctx));
    const body = concatBytes(cipher.update(plaintext), cipher.final(), cipher.getAuthTag());
    return encodeSealed({ nonce, kekId: kek.id, wrappedKey: kek.wrap(dataKey, ctx), body });
  } finally {
    wipe(dataKey);
  }
}

/**
 * Opens a sealed file's bytes, or throws `AtRestError` naming `name` (the file's path) and saying
 * it was refused: not sealed, another version, truncated, sealed under another KEK, or altered /
 * sealed for another context. Never returns anything but the exact plaintext that was sealed.
 */
export function openBytes(
  sealed: Uint8Array,
  kek: KeyEncryptionKey,
  context: SealContext,
  name: string,
): Uint8Array {
  const parts = decodeSealed(sealed, name);
  const ctx = contextBytes(context);
  const dataKey = unwrapDataKey(parts, kek, ctx, context, name);
  try {
    return decryptBody(parts, dataKey, ctx, name);
  } finally {
    wipe(dataKey);
  }
}

/**
 * Re-wraps a sealed file's data key from `oldKek` to `newKek` without re-encrypting the body: the
 * result differs only in its key slot. The body is authenticated first, so a file that would not
 * open is refused rather than carried over under the new KEK.
 */
export function rewrapBytes(
  sealed: Uint8Array,
  oldKek: KeyEncryptionKey,
  newKek: KeyEncryptionKey,
  context: SealContext,
  name: string,
): Uint8Array {
  const parts = decodeSealed(sealed, name);
  const ctx = contextBytes(context);
  const dataKey = unwrapDataKey(parts, oldKek, ctx, context, name);
  try {
    wipe(decryptBody(parts, dataKey, ctx, name));
    return encodeSealed({ ...parts, kekId: newKek.id, wrappedKey: newKek.wrap(dataKey, ctx) });
  } finally {
    wipe(dataKey);
  }
}

/** The KEK id a sealed file names (its form is checked, nothing is authenticated). */
export function sealedKekId(sealed: Uint8Array, name: string): string {
  return decodeSealed(sealed, name).kekId;
}

function unwrapDataKey(
  parts: SealedParts,
  kek: KeyEncryptionKey,
  ctx: Uint8Array,
  context: SealContext,
  name: string,
): Uint8Array {
  if (parts.kekId !== kek.id)
    throw new AtRestError(
      'at-rest-wrong-key',
      `${name}: sealed under KEK ${JSON.stringify(parts.kekId)} (as the file says), but the KEK configured is ${kek.id}; the file was refused and not used`,
    );
  let dataKey: Uint8Array;
  try {
    dataKey = kek.unwrap(parts.wrappedKey, ctx);
  } catch (e) {
    if (e instanceof AtRestError && e.code === 'at-rest-tampered')
      throw new AtRestError(
        'at-rest-tampered',
        `${name}: KEK ${kek.id} did not unwrap its data key as the ${describeContext(context)} (its key slot was altered, or the file was sealed for another purpose or agency); the file was refused and not used`,
        { cause: e },
      );
    throw new AtRestError(
      'at-rest-kek-failed',
      `${name}: KEK ${kek.id} could not unwrap its data key (${e instanceof Error ? e.message : String(e)}); the file was refused and not used`,
      { cause: e },
    );
  }
  if (dataKey.length !== DATA_KEY_BYTES) {
    wipe(dataKey);
    throw new AtRestError(
      'at-rest-tampered',
      `${name}: its unwrapped data key is not 32 bytes; the file was refused and not used`,
    );
  }
  return dataKey;
}

function decryptBody(
  parts: SealedParts,
  dataKey: Uint8Array,
  ctx: Uint8Array,
  name: string,
): Uint8Array {
  const decipher = createDecipheriv('aes-256-gcm', dataKey, parts.nonce);
  decipher.setAAD(bodyAad(parts.nonce, ctx));
  const cut = parts.body.length - TAG_BYTES;
  decipher.setAuthTag(parts.body.subarray(cut));
  try {
    return concatBytes(decipher.update(parts.body.subarray(0, cut)), decipher.final());
  } catch (e) {
    throw new AtRestError(
      'at-rest-tampered',
      `${name}: its body did not authenticate (a byte was altered, the file was cut short, or it was sealed for another purpose or agency); the file was refused and not used`,
      { cause: e },
    );
  }
}

function bodyAad(nonce: Uint8Array, ctx: Uint8Array): Uint8Array {
  const len = new Uint8Array(2);
  new DataView(len.buffer).setUint16(0, ctx.length);
  return concatBytes(fixedHeader(nonce), len, ctx);
}
