import { agencyEpochValidAt, type KeyEpoch, type KeyValidity } from '#concord/consortium';
import type { OpenedOutput, SessionAcceptance } from '#concord/engine';
import type { SessionPlan } from '#concord/protocol';
import type {
  PartyAbortedBody,
  PartyNumber,
  ReleaseDigestVersion,
  TranscriptEntry,
} from '#concord/transcript';
import type { AbortCode, NodeEngine } from '#concord/wire';
import type { SealRecord, SessionRowState } from './actions.js';

export const PARTIES: readonly PartyNumber[] = [1, 2, 3];

/**
 * Who a session's parties are: the agency and the identity keys the coordinator pinned for each.
 * `keys` is the agency's key history (consortium v2); without it `identityKey` is its epoch 0.
 */
export type PartyDirectory = ReadonlyMap<
  PartyNumber,
  {
    readonly agencyId: string;
    readonly identityKey: Uint8Array;
    readonly keys?: readonly KeyEpoch[];
  }
>;

/**
 * Whether `party`'s key of `epoch` may sign at `time`: the directory's history, or epoch 0 alone
 * when it has none.
 */
export function partyKey(
  parties: PartyDirectory,
  party: PartyNumber,
  epoch: number,
  time: number,
): KeyValidity {
  const entry = parties.get(party);
  if (!entry) {
    return {
      ok: false,
      refusal: { reason: 'unknown-agency', party, message: `no agency is party ${party}` },
    };
  }
  const keys = entry.keys ?? [{ epoch: 0, publicKey: entry.identityKey }];
  return agencyEpochValidAt({ id: entry.agencyId, party, keys }, epoch, time);
}

/** What the store knows of a session besides its transcript. */
export interface SessionRecord {
  readonly id: string;
  readonly plan: SessionPlan;
  readonly planHash: string;
  readonly requestId: string;
  readonly requestedBy: string;
  /**
   * When the session was admitted to run (epoch milliseconds): its timeout counts from here, not
   * from the request, so time spent queued is not taken from the session.
   */
  readonly startedAt: number;
}

/**
 * Where a session stands. Explicit, never inferred from counts: each phase says what the core is
 * waiting for, and each handler states the phases it acts in.
 */
export type SessionPhase =
  /** Created and charged; waiting for all three nodes to be online. */
  | { readonly name: 'waiting' }
  /** Invitations out; collecting the three signed acceptances. */
  | { readonly name: 'inviting'; readonly engine: NodeEngine }
  /** Keys exchanged; collecting the three noise commitments. */
  | { readonly name: 'committing'; readonly engine: NodeEngine }
  /** Go-ahead sent (the data phase): relaying rounds, collecting the three result digests. */
  | { readonly name: 'computing'; readonly engine: NodeEngine }
  /** Results released and stored; collecting the three seals over `head`. */
  | { readonly name: 'sealing'; readonly engine: NodeEngine; readonly head: string }
  /** A party reported an abort: collecting the others' reports until `until`, then aborted. */
  | {
      readonly name: 'aborting';
      readonly until: number;
      readonly code: AbortCode;
      readonly by: PartyNumber;
    }
  | { readonly name: 'completed' }
  | {
      readonly name: 'aborted';
      readonly code: AbortCode;
      readonly message: string;
      readonly refunded: boolean;
    };

export type PhaseName = SessionPhase['name'];

/** A party's connection as this session sees it. */
export interface PartyPresence {
  readonly online: boolean;
  /** When it came online or was lost (epoch ms). */
  readonly since: number;
  readonly engine?: NodeEngine;
}

/**
 * The reporter's opened outputs, checked against the plan and the agreed digest, and the release
 * digest they are released under: 2 (over the limbs) when it sent every output as limbs, 1 (over
 * the decimal text) when it sent decimals, as a node of the previous release does, which seals
 * only version 1 releases.
 */
export interface ReporterOutputs {
  readonly opened: readonly OpenedOutput[];
  readonly releaseDigestVersion: ReleaseDigestVersion;
}

/** The core's whole state for one session (all of it rebuilt from the store on restart). */
export interface CoreState {
  phase: SessionPhase;
  /** The session row's state as last made durable (the `from` of the next compare-and-set). */
  rowState: SessionRowState;
  /** The transcript chain, as appended (durable or queued for the store, in order). */
  readonly entries: TranscriptEntry[];
  readonly acceptances: Map<PartyNumber, SessionAcceptance>;
  readonly commitments: Map<PartyNumber, Readonly<Record<string, string>>>;
  /** Envelope slot (round|from|to|chunk) → digest of the envelope recorded for it. */
  readonly envelopes: Map<string, string>;
  /** `${round}|${from}|${to}` → the chunk count that stream declared first. */
  readonly chunking: Map<string, number>;
  readonly results: Map<PartyNumber, string>;
  /** The reporter's checked opened outputs (absent after a restart until it resends). */
  reporterOutputs: ReporterOutputs | undefined;
  readonly seals: Map<PartyNumber, SealRecord>;
  readonly reports: PartyAbortedBody[];
  readonly presence: Map<PartyNumber, PartyPresence>;
  deadline: number;
  /** JIFF mode: distinct relayed messages per direction (`from>to` → relay digests). */
  readonly jiffRelay: Map<string, Set<string>>;
  jiffMessages: number;
}

/** The session row state a phase is recorded as. */
export function rowStateOf(phase: SessionPhase, current: SessionRowState): SessionRowState {
  switch (phase.name) {
    case 'waiting':
      return 'created';
    case 'inviting':
      return 'inviting';
    case 'committing':
    case 'computing':
      return 'running';
    case 'sealing':
      return 'sealing';
    case 'aborting':
      return current;
    case 'completed':
      return 'completed';
    case 'aborted':
      return 'aborted';
  }
}

export function isFinal(phase: SessionPhase): boolean {
  return phase.name === 'completed' || phase.name === 'aborted';
}

export function engineOf(phase: SessionPhase): NodeEngine | undefined {
  return 'engine' in phase ? phase.engine : undefined;
}
