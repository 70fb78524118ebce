import { ConcordError } from '#concord/errors';

/**
 * Why the JIFF-compatible server refused an event or a host call. Each code is one protocol
 * condition; messages never contain shares, keys or credentials.
 */
export type JiffErrorCode =
  /** The event did not carry exactly one string argument, or its JSON is not the expected shape. */
  | 'invalid-payload'
  /** The string argument is not JSON. */
  | 'invalid-json'
  /** The string argument is longer than `limits.maxPayloadLength`, or nests too deeply. */
  | 'payload-too-large'
  /** The event name is not one of the JIFF client events. */
  | 'unknown-event'
  /** The computation id was never registered by the host (or was freed or expired). */
  | 'unknown-computation'
  /** Missing credential, or the host's verifier refused it, or it differs from the one that claimed the party. */
  | 'invalid-credential'
  /** `party_id` is not an integer in 1..party_count. */
  | 'invalid-party-id'
  /** A client asked for `s1`, the id reserved for the server. */
  | 'reserved-party-id'
  /** `party_count` differs from the registered roster size. */
  | 'party-count-mismatch'
  /** The party is held by another socket that is still connected. */
  | 'party-already-connected'
  /** `public_key` is not 32 bytes in JIFF's `"[b0,…,b31]"` form. */
  | 'invalid-public-key'
  /** A re-initializing party presented a different public key than the one its peers hold. */
  | 'key-mismatch'
  /** This socket already initialized as another party or computation. */
  | 'socket-already-initialized'
  /** A computation event arrived on a socket that has not initialized. */
  | 'not-initialized'
  /** The receiver `party_id` is not another party of the roster. */
  | 'invalid-receiver'
  /** The receiver's mailbox holds `limits.maxMailboxMessages` / `maxMailboxBytes` unacknowledged messages. */
  | 'mailbox-full'
  /** `crypto_provider.label` is not `triplet`, `numbers` or `quotient`. */
  | 'unknown-crypto-label'
  /** `Zp` is not a prime the server accepts (type, size, primality, larger than every party id). */
  | 'invalid-zp'
  /** Dealer parameters are malformed or inconsistent (min ≥ max, value outside Zp, bits too few). */
  | 'invalid-params'
  /** A count-type limit was exceeded (numbers count, dealer secrets, Zp values per computation). */
  | 'limit-exceeded'
  /** The requester of dealer material is not among `receivers`. */
  | 'not-a-receiver'
  /** The same op_id was requested earlier with a different label, receivers, threshold, Zp or params. */
  | 'dealer-mismatch'
  /** The host registered more computations than `limits.maxComputations`. */
  | 'capacity'
  /** The host registered a computation id twice. */
  | 'duplicate-computation'
  /** The host's registration or limits are malformed (id, party count, expiry, limit values). */
  | 'invalid-registration'
  /** The computation passed its expiry or idle timeout and was dropped. */
  | 'computation-expired'
  /** The socket produced more than `limits.maxErrorsPerSocket` errors and is disconnected. */
  | 'too-many-errors'
  /** A bug: an unexpected exception was contained. */
  | 'internal';

export class JiffServerError extends ConcordError<JiffErrorCode> {
  readonly domain = 'jiff-server';
}
