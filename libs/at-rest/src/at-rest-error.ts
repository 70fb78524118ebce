import { ConcordError } from '#concord/errors';

/**
 * Why a sealed file was refused, or a key-encryption key could not be had. A refused file is never
 * used and never overwritten, and nothing falls back to an empty state: the caller stops, and an
 * operator looks at the file and at the KEK the node was given.
 */
export type AtRestErrorCode =
  /** The file does not start with the sealed-file magic: a plaintext file, or another program's. */
  | 'at-rest-not-sealed'
  /** A sealed file of a format version this code does not read. */
  | 'at-rest-unsupported-version'
  /** The file ends before its header, key slot or tag does (a partial copy, a disk fault). */
  | 'at-rest-truncated'
  /** The file exists but cannot be read (permissions, an I/O error). */
  | 'at-rest-unreadable'
  /** The file was sealed under another KEK than the one configured (its KEK id says which). */
  | 'at-rest-wrong-key'
  /**
   * Authentication failed: a byte of the file was altered, the file was cut short inside its
   * body, or it was sealed for another purpose or agency (the context is bound, not stored).
   */
  | 'at-rest-tampered'
  /** The KEK itself failed (an HSM or KMS error), so the data key could not be unwrapped. */
  | 'at-rest-kek-failed'
  /** The KEK's source (key file, environment variable, passphrase) is missing or unusable. */
  | 'at-rest-kek-unavailable'
  /** A purpose or agency id that cannot be bound unambiguously (a programming error). */
  | 'at-rest-invalid-context';

export class AtRestError extends ConcordError<AtRestErrorCode> {
  readonly domain = 'at-rest';
}
