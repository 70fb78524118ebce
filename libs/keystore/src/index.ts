export {
  ENCRYPTED_KEY_FILE_FORMAT,
  readEncryptedKeyFile,
  readEncryptedKeyFileHeader,
  SCRYPT_DEFAULTS,
  type ScryptParams,
  writeEncryptedKeyFile,
} from './encrypted-key-file.js';
export {
  describeIdentityKeyConfig,
  IDENTITY_KEY_STORES,
  type IdentityKeyConfig,
  parseIdentityKeyConfig,
  parsePkcs11KeyLocation,
} from './identity-key-config.js';
export {
  generateIdentityKey,
  importIdentityKey,
  type OpenedIdentity,
  openIdentityKey,
  type PublicIdentity,
  readPublicIdentity,
} from './identity-key-store.js';
export { KeyStoreError, type KeyStoreErrorCode } from './keystore-error.js';
export {
  DEMO_ONLY_WARNING,
  PLAIN_KEY_FILE_FORMAT,
  readPlainKeyFile,
  writePlainKeyFile,
} from './plain-key-file.js';
export { DEFAULT_PKCS11_MODULE, type Pkcs11KeyLocation } from './pkcs11-config.js';
export {
  generatePkcs11Identity,
  importPkcs11Identity,
  openPkcs11Identity,
  type Pkcs11Identity,
} from './pkcs11-identity.js';
export { generatePkcs11Kek, openPkcs11Kek, type Pkcs11KeyEncryptionKey } from './pkcs11-kek.js';
export { readSecret, type SecretSource } from './secret-source.js';
