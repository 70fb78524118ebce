import { type KeyEncryptionKey, randomBytes, systemRandom } from '#concord/crypto';
import { KeyStoreError } from './keystore-error.js';
import { readSecret } from './secret-source.js';
import type { Pkcs11KeyLocation } from './pkcs11-config.js';
import { codeOf, inToken, Pkcs11Token } from './pkcs11-token.js';

/**
 * A key-encryption key that is an AES-256 secret key inside a PKCS#11 token (sensitive, not
 * extractable): wrapping and unwrapping run in the token with CKM_AES_GCM, the context as
 * associated data. Wrapped form: version byte 1, 12-byte IV (random, from this process), then
 * the GCM ciphertext and its 16-byte tag.
 */
const WRAP_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Pkcs11KeyEncryptionKey extends KeyEncryptionKey {
  close(): void;
}

export function openPkcs11Kek(
  location: Pkcs11KeyLocation,
  env: NodeJS.ProcessEnv = process.env,
): Pkcs11KeyEncryptionKey {
  const token = openToken(location, env);
  try {
    const key = token.find(token.constants.CKO_SECRET_KEY, location.keyLabel);
    if (!key)
      throw new KeyStoreError(
        'pkcs11-key-not-found',
        `the PKCS#11 token "${location.tokenLabel}" holds no secret key labelled "${location.keyLabel}"`,
      );
    return kekOn(token, key, location);
  } catch (e) {
    token.close();
    throw e;
  }
}

/** Generates the AES-256 KEK in the token; it never leaves it. */
export function generatePkcs11Kek(
  location: Pkcs11KeyLocation,
  env: NodeJS.ProcessEnv = process.env,
): Pkcs11KeyEncryptionKey {
  const token = openToken(location, env);
  try {
    const c = token.constants;
    if (token.find(c.CKO_SECRET_KEY, location.keyLabel))
      throw new KeyStoreError(
        'key-exists',
        `the PKCS#11 token "${location.tokenLabel}" already holds a key labelled "${location.keyLabel}"; not replaced`,
      );
    const key = inToken(token, 'generating the AES-256 key-encryption key', () =>
      token.api.C_GenerateKey(token.session, { mechanism: c.CKM_AES_KEY_GEN }, [
        { type: c.CKA_CLASS, value: c.CKO_SECRET_KEY },
        { type: c.CKA_KEY_TYPE, value: c.CKK_AES },
        { type: c.CKA_VALUE_LEN, value: 32 },
        { type: c.CKA_TOKEN, value: true },
        { type: c.CKA_PRIVATE, value: true },
        { type: c.CKA_LABEL, value: location.keyLabel },
        { type: c.CKA_ENCRYPT, value: true },
        { type: c.CKA_DECRYPT, value: true },
        { type: c.CKA_SENSITIVE, value: true },
        { type: c.CKA_EXTRACTABLE, value: false },
      ]),
    );
    return kekOn(token, key, location);
  } catch (e) {
    token.close();
    throw e;
  }
}

function openToken(location: Pkcs11KeyLocation, env: NodeJS.ProcessEnv): Pkcs11Token {
  return Pkcs11Token.open(
    location.module,
    location.tokenLabel,
    readSecret(location.pin, 'PKCS#11 PIN', env),
  );
}

function kekOn(
  token: Pkcs11Token,
  key: Buffer,
  location: Pkcs11KeyLocation,
): Pkcs11KeyEncryptionKey {
  const c = token.constants;
  const gcm = (iv: Buffer, context: Uint8Array) => ({
    mechanism: c.CKM_AES_GCM,
    parameter: {
      type: c.CK_PARAMS_AES_GCM,
      iv,
      aad: Buffer.from(context),
      ivBits: IV_BYTES * 8,
      tagBits: TAG_BYTES * 8,
    },
  });
  let closed = false;
  const ensureOpen = (): void => {
    if (closed)
      throw new KeyStoreError('pkcs11-failed', `the PKCS#11 KEK "${location.keyLabel}" is closed`);
  };
  return {
    id: `pkcs11:${location.tokenLabel}/${location.keyLabel}`,
    wrap(dataKey, context) {
      ensureOpen();
      const iv = Buffer.from(randomBytes(systemRandom, IV_BYTES));
      const sealed = inToken(token, `wrapping with "${location.keyLabel}"`, () => {
        token.api.C_EncryptInit(token.session, gcm(iv, context), key);
        return token.api.C_Encrypt(
          token.session,
          Buffer.from(dataKey),
          Buffer.alloc(dataKey.length + TAG_BYTES),
        );
      });
      return new Uint8Array(Buffer.concat([Buffer.from([WRAP_VERSION]), iv, sealed]));
    },
    unwrap(wrapped, context) {
      ensureOpen();
      if (wrapped.length < 1 + IV_BYTES + TAG_BYTES + 1 || wrapped[0] !== WRAP_VERSION)
        throw new KeyStoreError(
          'unwrap-failed',
          `not a key wrapped by the PKCS#11 KEK "${location.keyLabel}" (malformed)`,
        );
      const bytes = Buffer.from(wrapped);
      const iv = bytes.subarray(1, 1 + IV_BYTES);
      const sealed = bytes.subarray(1 + IV_BYTES);
      try {
        token.api.C_DecryptInit(token.session, gcm(iv, context), key);
        return new Uint8Array(
          token.api.C_Decrypt(token.session, sealed, Buffer.alloc(sealed.length)),
        );
      } catch (e) {
        // A failed C_Decrypt ends the operation; the session is ready for the next one.
        throw new KeyStoreError(
          'unwrap-failed',
          `the PKCS#11 KEK "${location.keyLabel}" refused to unwrap: altered, wrapped under another key, or for another context (${codeOf(e)})`,
        );
      }
    },
    close() {
      if (closed) return;
      closed = true;
      token.close();
    },
  };
}
