/**
 * A key-encryption key (KEK) for envelope encryption at rest: it wraps and unwraps the small data
 * keys that encrypt files, so rotating it re-wraps data keys without re-encrypting data. The KEK
 * itself may live in an HSM (PKCS#11), a KMS, or be derived from a secret the operator supplies.
 * `context` is bound to the wrapping (associated data): a data key wrapped for one file cannot be
 * unwrapped as another's. Unwrapping throws a typed error when the wrapped key was altered or was
 * wrapped under another KEK or context; it never returns a wrong key.
 */
export interface KeyEncryptionKey {
  /** A stable, non-secret name of this KEK (written next to each wrapped key). */
  readonly id: string;
  wrap(dataKey: Uint8Array, context: Uint8Array): Uint8Array;
  unwrap(wrapped: Uint8Array, context: Uint8Array): Uint8Array;
}
