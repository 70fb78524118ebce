import {
  keyFromEnv,
  type KekRing,
  operatorKeyKek,
  passphraseKekRing,
  readKeyFile,
  readSecretFile,
  singleKekRing,
  AtRestError,
} from '#concord/at-rest';
import { type KeyEncryptionKey, wipe } from '#concord/crypto';
import { KeyStoreError, openPkcs11Kek, type Pkcs11KeyLocation } from '#concord/keystore';
import type { AtRestKekConfig } from '../config/node-config.js';

/**
 * The KEK ring a node configuration's `atRest.kek` names. Key material is read here, once, and
 * held by the KEK only; errors name the source (a file, a variable), never a value.
 */
export function kekRingFor(kek: AtRestKekConfig, env: NodeJS.ProcessEnv = process.env): KekRing {
  if (kek.keyFile !== undefined) {
    const k = held(readKeyFile(kek.keyFile));
    return singleKekRing(k, `key file ${kek.keyFile} (KEK ${k.id})`);
  }
  if (kek.keyEnv !== undefined) {
    const k = held(keyFromEnv(kek.keyEnv, env));
    return singleKekRing(k, `key in ${kek.keyEnv} (KEK ${k.id})`);
  }
  if (kek.passphraseEnv !== undefined) {
    const passphrase = env[kek.passphraseEnv];
    if (!passphrase)
      throw new AtRestError(
        'at-rest-kek-unavailable',
        `environment variable ${kek.passphraseEnv} (the at-rest passphrase) is not set`,
      );
    return passphraseKekRing(passphrase, `passphrase in ${kek.passphraseEnv}`);
  }
  if (kek.passphraseFile !== undefined) {
    // One line; its line ending is not part of the passphrase.
    const passphrase = readSecretFile(kek.passphraseFile, 'passphrase file').replace(/\r?\n$/, '');
    return passphraseKekRing(passphrase, `passphrase file ${kek.passphraseFile}`);
  }
  if (kek.pkcs11Location !== undefined) {
    const k = pkcs11Kek(kek.pkcs11Location, env);
    return singleKekRing(
      k,
      `PKCS#11 key "${kek.pkcs11Location.keyLabel}" in token "${kek.pkcs11Location.tokenLabel}" (KEK ${k.id})`,
    );
  }
  throw new AtRestError('at-rest-kek-unavailable', 'atRest.kek names no KEK source');
}

/**
 * The token's KEK, its failures told as the at-rest library tells them: a refused unwrap
 * (altered slot, another context) is `at-rest-tampered`; a token that cannot be opened is
 * `at-rest-kek-unavailable`. The session stays open for the life of the process.
 */
function pkcs11Kek(location: Pkcs11KeyLocation, env: NodeJS.ProcessEnv): KeyEncryptionKey {
  let kek: KeyEncryptionKey;
  try {
    kek = openPkcs11Kek(location, env);
  } catch (e) {
    if (!(e instanceof KeyStoreError)) throw e;
    throw new AtRestError('at-rest-kek-unavailable', e.message, { cause: e });
  }
  return {
    id: kek.id,
    wrap: (dataKey, context) => kek.wrap(dataKey, context),
    unwrap(wrapped, context) {
      try {
        return kek.unwrap(wrapped, context);
      } catch (e) {
        if (e instanceof KeyStoreError && e.code === 'unwrap-failed')
          throw new AtRestError('at-rest-tampered', e.message, { cause: e });
        throw e;
      }
    },
  };
}

/** The KEK holds its own copy of the key; the one read is wiped. */
function held(key: Uint8Array): KeyEncryptionKey {
  try {
    return operatorKeyKek(key);
  } finally {
    wipe(key);
  }
}
