import type {
  JoinMaterial,
  NoiseCommitment,
  SessionAcceptance,
  SessionEngine,
} from '#concord/engine';
import type { SessionPlan } from '#concord/protocol';

/**
 * Where this node stands in one session. `reading`: invited, reading its inputs (nothing charged
 * yet); `accepted`: charged and accepted; `committed`: noise dealt and committed; `running`: the
 * go-ahead arrived (recorded in the ledger first) and the data rounds run; `opened`: the result
 * is known and reported; `sealed`: the transcript is signed.
 */
export type NodeSessionStatus =
  'reading' | 'accepted' | 'committed' | 'running' | 'opened' | 'sealed';

/** One session this node holds in memory: its engine and everything it may have to send again. */
export interface NodeSession {
  readonly id: string;
  readonly startedAt: number;
  readonly reporter: number;
  status: NodeSessionStatus;
  /** When it entered `status` (epoch ms; for the phase-duration metric). */
  statusSince: number;
  /** The session ended (aborted) while this node was still reading its inputs. */
  cancelled: boolean;
  plan?: SessionPlan;
  engine?: SessionEngine;
  inputs?: ReadonlyMap<string, ArrayLike<number>>;
  /** A join plan's tokens and per-card rows (held like the inputs, dropped with the session). */
  join?: JoinMaterial;
  noise?: readonly ArrayLike<number>[];
  acceptance?: SessionAcceptance;
  commitment?: NoiseCommitment;
  /** The result report as sent (resent until the coordinator has recorded it). */
  result?: Record<string, unknown>;
  /** The seal as sent. */
  seal?: Record<string, unknown>;
  /** Envelopes sent and not yet acknowledged by their receiver, by slot. */
  readonly outbox: Map<string, Uint8Array>;
  inputSent: boolean;
  openSent: boolean;
}
