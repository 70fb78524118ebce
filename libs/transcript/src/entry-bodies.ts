/**
 * What each kind of transcript entry records. The body is hashed as canonical JSON, so every
 * field is plain JSON (strings, integers, booleans, arrays, objects) and never a secret: the
 * coordinator writes these, agencies check them before sealing, auditors verify them offline.
 */

export type PartyNumber = 1 | 2 | 3;

/** The first entry: the request, its plan and the charge taken for it, in one transaction. */
export interface SessionCreatedBody {
  readonly protocol: { readonly id: string; readonly version: string; readonly hash: string };
  readonly planHash: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly budget: {
    readonly mechanism: string;
    readonly value: string;
    readonly rho: string;
    readonly xi: string;
  };
  readonly requestId: string;
  readonly requestedBy: string;
  /** The charge taken on the coordinator's ledger (exact rationals). */
  readonly ledger: {
    readonly scope: string;
    readonly window: string;
    readonly rho: string;
    readonly xi: string;
  };
}

/** A party's signed session key (and, in JIFF mode, its JIFF client key). */
export interface PartyAcceptedBody {
  readonly party: PartyNumber;
  readonly agency: string;
  readonly sessionKey: string;
  readonly jiffKey?: string;
  /**
   * The epoch of the identity key that signed (and that seals): part of the signed acceptance.
   * Absent in transcripts from before key epochs, which are epoch 0.
   */
  readonly keyEpoch?: number;
  readonly signature: string;
}

/** A party's commitments to the noise sharings it deals, keyed by receiver ("1".."3"). */
export interface NoiseCommittedBody {
  readonly party: PartyNumber;
  readonly commitments: Readonly<Record<string, string>>;
}

/** One relayed envelope: its routing header, size and SHA-256 digest (never its content). */
export interface EnvelopeBody {
  readonly round: string;
  readonly from: PartyNumber;
  readonly to: PartyNumber;
  readonly chunk: number;
  readonly chunks: number;
  readonly bytes: number;
  readonly digest: string;
}

/** JIFF mode: the data phase began (the JIFF computation was registered). */
export interface JiffStartedBody {
  readonly computationId: string;
  readonly prime: string;
  readonly partyCount: number;
  readonly path: string;
}

/** JIFF mode: what the endpoint relayed in one direction (count and set digest). */
export interface JiffRelayBody {
  readonly from: PartyNumber;
  readonly to: PartyNumber;
  readonly messages: number;
  readonly digest: string;
}

/** A party's digest of the result it opened. */
export interface PartyResultBody {
  readonly party: PartyNumber;
  readonly resultDigest: string;
}

/** One released output as the release entry names it. */
export interface ReleasedOutputSummary {
  readonly name: string;
  readonly cells: number;
  readonly intervalHalfWidth: string;
}

/**
 * The release: the opened result's digest, and the digest of exactly what is published (every
 * output's values, unit, interval and confidence level). `releaseDigestVersion` 2 hashes the
 * values as their canonical field limbs (`releaseDigestOfLimbs`); absent, the digest is version 1,
 * over their canonical decimal text (`releaseDigest`). The three seals sign the head that is this
 * entry, so a published number that changes afterwards no longer matches what the agencies signed.
 */
export interface SessionResultsBody {
  readonly resultDigest: string;
  readonly releaseDigest: string;
  readonly releaseDigestVersion?: 2;
  readonly outputs: readonly ReleasedOutputSummary[];
}

/** A party stopped the session and said why; `suspects` are the parties it cannot exclude. */
export interface PartyAbortedBody {
  readonly party: PartyNumber;
  readonly code: string;
  readonly message: string;
  readonly suspects: readonly PartyNumber[];
}

/** The session ended without a release: who ended it, with which code, and why. */
export interface SessionAbortedBody {
  readonly code: string;
  readonly message: string;
  /** `coordinator`, or the party whose report or behaviour ended it. */
  readonly by: 'coordinator' | PartyNumber;
  /** Whether the data phase had begun (noise may have left a party): then nothing is refunded. */
  readonly dataPhaseStarted: boolean;
}

/** The coordinator's ledger gave the session's charge back (only before its data phase). */
export interface LedgerRefundedBody {
  readonly requestId: string;
  readonly rho: string;
  readonly xi: string;
}

/** Every kind of entry and its body. */
export interface TranscriptBodies {
  'session.created': SessionCreatedBody;
  'party.accepted': PartyAcceptedBody;
  'noise.committed': NoiseCommittedBody;
  envelope: EnvelopeBody;
  'jiff.started': JiffStartedBody;
  'jiff.relay': JiffRelayBody;
  'party.result': PartyResultBody;
  'session.results': SessionResultsBody;
  'party.aborted': PartyAbortedBody;
  'session.aborted': SessionAbortedBody;
  'ledger.refunded': LedgerRefundedBody;
}

export type TranscriptEntryKind = keyof TranscriptBodies;

export const TRANSCRIPT_KINDS: readonly TranscriptEntryKind[] = [
  'session.created',
  'party.accepted',
  'noise.committed',
  'envelope',
  'jiff.started',
  'jiff.relay',
  'party.result',
  'session.results',
  'party.aborted',
  'session.aborted',
  'ledger.refunded',
];
