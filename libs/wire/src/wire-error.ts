import { ConcordError } from '#concord/errors';

/** Why an inbound message was refused before any protocol logic saw it. */
export type WireErrorCode =
  /** A JSON message is not an object, or fails its DTO (`issues` name the fields). */
  | 'invalid-message'
  /** A binary envelope is too large, malformed, or its routing header does not parse. */
  | 'invalid-envelope';

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
