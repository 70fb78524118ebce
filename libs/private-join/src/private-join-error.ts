import { ConcordError } from '#concord/errors';

export type PrivateJoinErrorCode =
  /** A card token is empty or not a string. */
  | 'malformed-token'
  /** A holder's own token list names the same token twice. */
  | 'duplicate-token'
  /** A message's bytes are not a private-join message (header, kind, version or length). */
  | 'malformed-message'
  /** 32 bytes that are not the canonical encoding of a ristretto255 element. */
  | 'malformed-point'
  /** The identity element, which a blinded hash of a token never is. */
  | 'identity-point'
  /** The same point twice in one list: distinct tokens never blind to equal points. */
  | 'duplicate-point'
  /** A message arrived that this role does not take, or takes only once. */
  | 'unexpected-message';

/**
 * A refused private-join input or message. Messages name the list, the position and the rule,
 * never a token or a point (a point is a blinded token: not secret alone, but not for logs).
 */
export class PrivateJoinError extends ConcordError<PrivateJoinErrorCode> {
  readonly domain = 'private-join';
}
