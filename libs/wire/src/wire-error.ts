import { ConcordError } from '#concord/errors';

/** Why an inbound message was refused before any protocol logic saw it. */
export type WireErrorCode =
  /** A JSON message is not an object, or fails its DTO (`issues` name the fields). */
  | 'invalid-message'
  /** A binary envelope is too large, malformed, or its routing header does not parse. */
  | 'invalid-envelope'
  /** A JSON value nests deeper than its limit (`checkShape`). */
  | 'too-deep'
  /** A JSON object has more keys than its limit. */
  | 'too-many-keys'
  /** A JSON array or string is longer than its limit. */
  | 'too-long'
  /** A JSON value holds more values in all than its limit. */
  | 'too-many-nodes'
  /** A JSON object has a `__proto__`, `constructor` or `prototype` key. */
  | 'forbidden-key'
  /** A frame from a socket that has not logged in is larger than the pre-login limit. */
  | 'frame-too-large'
  /** A socket sent more frames before logging in than the pre-login limit. */
  | 'too-many-frames'
  /** A socket did not log in within the login deadline. */
  | 'login-timeout'
  /** Too many sockets wait for login (from this address, or in all). */
  | 'too-many-connections'
  /** This address failed to log in too often; it is refused until its block expires. */
  | 'rate-limited';

/** A message that failed validation; `issues` name the fields, never their (possibly secret) values. */
export class WireError extends ConcordError<WireErrorCode> {
  readonly domain = 'wire';
  constructor(
    code: WireErrorCode,
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(code, message);
  }
}
