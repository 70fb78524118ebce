/**
 * The timing and size rules of a session; times in milliseconds of the injected clock. The core
 * reads no clock of its own: every event carries `now`, and a periodic `tick` lets deadlines pass.
 */
export interface SessionRules {
  /** A session that has not completed this long after its creation aborts (`timeout`). */
  readonly sessionTimeoutMs: number;
  /**
   * How long a party whose connection was lost may take to come back before its sessions abort
   * (`party-disconnected`): a node process that is alive reconnects well within it and resumes; a
   * dead one loses its in-memory secrets, so waiting longer cannot help.
   */
  readonly nodeLeaseMs: number;
  /**
   * After a party reports an abort (or declines), how long the core keeps collecting the other
   * parties' reports before it ends the session, so every party's suspects reach the analyst
   * and the transcript (an inconsistent opening is detected by both honest parties at once).
   */
  readonly reportGraceMs: number;
  /**
   * JIFF mode: distinct messages the endpoint may relay for one session. Far above what any
   * catalogue plan needs (a few per cell and party); a party flooding the relay aborts it.
   */
  readonly maxJiffRelays: number;
}

export const DEFAULT_RULES: SessionRules = {
  sessionTimeoutMs: 300_000,
  nodeLeaseMs: 15_000,
  reportGraceMs: 1_000,
  maxJiffRelays: 5_000_000,
};

/** The party that sends the opened values along with its result digest. */
export const REPORTER = 1;
