import type { ReadScope } from './read-scope.js';
import type { SessionPlan } from '#concord/protocol';

/**
 * Reads a join holder's card tokens (the processor's cards of the date, or planning's enrolment
 * list): distinct, non-empty strings. Tokens stay on the node; only their blinded hashes leave
 * it, and only the count is logged.
 */
export type TokenListConnector = (context: {
  readonly plan: SessionPlan;
  readonly files: Readonly<Record<string, string>>;
  /** The session's shared reads (the card list and the per-card rows parse one file once). */
  readonly scope?: ReadScope;
}) => Promise<{ tokens: string[]; report: { rowsRead: number; tokens: number } }>;
