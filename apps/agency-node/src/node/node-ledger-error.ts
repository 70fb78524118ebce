import { ConcordError } from '#concord/errors';

/**
 * Why the agency's ledger file was refused, or a ledger call could not be honoured. A refused
 * file is never used and never overwritten: the node stops, and an operator looks at the file.
 */
export type NodeLedgerErrorCode =
  /** The file exists but cannot be read. */
  | 'unreadable'
  /** The file does not end with a complete line (a partial copy, a disk fault). */
  | 'truncated'
  /** The first line is not this format's header (another program's file, an older format). */
  | 'unknown-format'
  /** A line is not JSON, or not a line of a known kind with exactly its fields. */
  | 'malformed-line'
  /** A line's hash or its link to the previous line does not match: it was edited or removed. */
  | 'chain-broken'
  /** A line breaks the ledger's rules (a second charge, a refund after the data phase, …). */
  | 'invalid-sequence'
  /** Writing or syncing the file failed: nothing was recorded. */
  | 'write-failed'
  /** The data phase cannot start for a session this ledger has not charged, or has closed. */
  | 'not-charged'
  | 'session-closed';

export class NodeLedgerError extends ConcordError<NodeLedgerErrorCode> {
  readonly domain = 'node-ledger';
}
