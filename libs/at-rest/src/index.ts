export { aesGcmKek, keyFingerprint } from './aes-gcm-kek.js';
export { AtRestError, type AtRestErrorCode } from './at-rest-error.js';
export { replaceFileDurably } from './durable-file.js';
export { type KekRing, passphraseKekRing, singleKekRing } from './kek-ring.js';
export {
  keyFromEnv,
  operatorKeyKek,
  parseKeyText,
  readKeyFile,
  readSecretFile,
  writeKeyFile,
} from './operator-key.js';
export {
  DEFAULT_SCRYPT_COST,
  newPassphraseKek,
  passphraseKekForId,
  type ScryptCost,
} from './passphrase-kek.js';
export { contextBytes, type SealContext } from './seal-context.js';
export { openBytes, rewrapBytes, sealBytes, sealedKekId } from './sealed-bytes.js';
export { SealedFile, type RewrapOutcome } from './sealed-file.js';
export { looksSealed, SEALED_MAGIC, SEALED_VERSION } from './sealed-format.js';
