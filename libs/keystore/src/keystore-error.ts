import { ConcordError } from '#concord/errors';

/**
 * Why a key store could not give a key. Messages name files, tokens, labels and environment
 * variables so an operator can act on them, and never a passphrase, a PIN or key material.
 */
export type KeyStoreErrorCode =
  | 'secret-unavailable' // passphrase or PIN: variable unset, file unreadable or empty
  | 'weak-passphrase'
  | 'malformed-key-file' // not a key file of the expected format, truncated, bad fields
  | 'decryption-failed' // wrong passphrase, or the file was altered
  | 'key-mismatch' // the key does not sign for the public key stored with it
  | 'key-exists'
  | 'pkcs11-module-unavailable'
  | 'pkcs11-token-not-found'
  | 'pkcs11-login-failed'
  | 'pkcs11-key-not-found'
  | 'pkcs11-unsupported'
  | 'pkcs11-failed'
  | 'unwrap-failed';

export class KeyStoreError extends ConcordError<KeyStoreErrorCode> {
  readonly domain = 'keystore';
}
