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
  // Extension point: `pkcs11` (libs/keystore) returns singleKekRing(its KEK, description) here.
  throw new AtRestError('at-rest-kek-unavailable', 'atRest.kek names no KEK source');
}

/** The KEK holds its own copy of the key; the one read is wiped. */
function held(key: Uint8Array): KeyEncryptionKey {
  try {
    return operatorKeyKek(key);
  } finally {
    wipe(key);
  }
}
