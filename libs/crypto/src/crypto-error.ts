import { ConcordError } from '#concord/errors';

/** Why a cryptographic check failed. Messages never contain key or share material. */
export type CryptoErrorCode =
  | 'invalid-key'
  | 'invalid-signature'
  | 'envelope-malformed'
  | 'envelope-header-mismatch'
  | 'envelope-authentication-failed'
  | 'not-canonical';

export class CryptoError extends ConcordError<CryptoErrorCode> {
  readonly domain = 'crypto';
}
