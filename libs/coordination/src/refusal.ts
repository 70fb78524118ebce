/**
 * Why the session core refused a party's message. Closed: each code is one protocol rule, named
 * in the refusal the party receives; every refusal except `session-not-running` also aborts the
 * session (`relay-refused`), because an honest node never breaks these rules.
 */
export const REFUSAL_CODES = [
  /** The session is unknown to this coordinator, or already ended. */
  'session-not-running',
  /** The message is not expected in the session's current phase. */
  'out-of-turn',
  /** The message claims to come from another party than the sender's authenticated one. */
  'wrong-party',
  /** A signature is not the party's pinned identity key's, for this session, plan or head. */
  'bad-signature',
  /**
   * The acceptance names a key epoch that is not valid when it arrives (superseded, revoked, not
   * yet effective or unknown) in the coordinator's consortium file.
   */
  'key-not-valid',
  /** A JIFF key where the session runs natively, or none where it runs in JIFF mode. */
  'wrong-engine',
  /** Noise commitments not addressed to exactly the two other parties. */
  'bad-commitment',
  /** An envelope whose route does not fit the session (round, chunking, sender). */
  'bad-envelope',
  /** A different message for something already recorded (an envelope slot, a result, a key). */
  'equivocation',
  /** The reporter's values do not fit the plan, or do not hash to its result digest. */
  'bad-values',
  /** More JIFF messages than any plan needs. */
  'flood',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];
