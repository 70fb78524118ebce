import type { FieldVector } from '#concord/field';
import type { PartyNumber, TranscriptEntry } from '#concord/transcript';
import type { AbortCode } from '#concord/wire';
import type { RefusalCode } from './refusal.js';

/** The session row's state column (docs/data-model.md). */
export type SessionRowState =
  'created' | 'inviting' | 'running' | 'sealing' | 'completed' | 'aborted';

/** One released output as it is stored: the reporter's checked values, as field limbs. */
export interface OutputRelease {
  readonly name: string;
  readonly unit: string;
  /** The opened vector: stored as its canonical limbs, the bytes the result digest covers. */
  readonly values: FieldVector;
  readonly cells: number;
  readonly intervalHalfWidth: bigint;
  readonly confidenceLevel: string;
  readonly noise: Readonly<Record<string, unknown>>;
}

/** A party's verified seal over the transcript head. */
export interface SealRecord {
  readonly party: PartyNumber;
  readonly agencyId: string;
  readonly headHash: string;
  readonly signature: string;
}

/**
 * One durable change. The ops of one `persist` action are written in one transaction; the
 * adapter makes every `persist` durable (retrying while the database is unreachable) before it
 * performs any action that follows it: nothing takes effect before it is written (write-ahead).
 */
export type PersistOp =
  | { readonly op: 'append'; readonly entry: TranscriptEntry }
  /** Compare-and-set of the session row: fails (and nothing of the transaction is kept) unless
   * the row is still in `from`. */
  | {
      readonly op: 'transition';
      readonly from: SessionRowState;
      readonly to: SessionRowState;
      readonly error?: { readonly code: string; readonly message: string };
      readonly transcriptHead?: string;
      readonly completedAt?: number;
    }
  | { readonly op: 'release'; readonly outputs: readonly OutputRelease[] }
  | { readonly op: 'seal'; readonly seal: SealRecord }
  /** Give the session's charge back on the coordinator's ledger (which re-checks the rule). */
  | { readonly op: 'refund' };

/** Milestones of a session, for logs, metrics and the fault suite's failpoints. */
export type Milestone =
  | 'invited'
  | 'commitment-recorded'
  | 'input-relayed'
  | 'open-relayed'
  | 'released'
  | 'seal-recorded'
  | 'completed'
  | 'aborted';

/**
 * What the core asks its adapter to do, in order. Sends are best effort: a party that is not
 * connected misses them, and the core re-sends what a returning party needs (`session.resume`).
 */
export type SessionAction =
  | { readonly type: 'persist'; readonly ops: readonly PersistOp[] }
  | {
      readonly type: 'send';
      readonly party: PartyNumber;
      readonly event: string;
      readonly payload: unknown;
    }
  | { readonly type: 'relay'; readonly party: PartyNumber; readonly bytes: Uint8Array }
  | {
      readonly type: 'refuse';
      readonly party: PartyNumber;
      readonly code: RefusalCode;
      readonly message: string;
    }
  /** JIFF mode: open the computation on the endpoint (after the start is durable). */
  | { readonly type: 'register-jiff'; readonly expiresAt: number }
  | { readonly type: 'remove-jiff' }
  | { readonly type: 'milestone'; readonly name: Milestone }
  | {
      readonly type: 'log';
      readonly level: 'info' | 'warn';
      readonly message: string;
      readonly fields?: Readonly<Record<string, string | number | boolean>>;
    }
  /** The session reached a final state; the adapter forgets it once every action before ran. */
  | {
      readonly type: 'finished';
      readonly outcome: 'completed' | 'aborted';
      readonly code?: AbortCode;
    };
