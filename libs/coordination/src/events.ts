import type { SessionAcceptance } from '#concord/engine';
import type { PartyNumber } from '#concord/transcript';
import type { EnvelopeRoute, NodeEngine } from '#concord/wire';

/** A reporter's released values as the wire carries them: comma-separated decimals per output. */
export interface ReportedOutput {
  readonly name: string;
  /** The opened vector's canonical field limbs (`vectorToBytes`): what nodes send now. */
  readonly limbs?: Uint8Array;
  /** Comma-separated decimals: what nodes of the previous release send instead of `limbs`. */
  readonly values?: string;
}

/**
 * What happens to a session, as the coordinator's adapter observes it: a party's message (already
 * validated against its DTO and attributed to the authenticated party), a change in a party's
 * presence, the JIFF endpoint, or the clock. Every event carries the injected clock's `now`.
 */
export type SessionEvent =
  | { readonly type: 'tick'; readonly now: number }
  | {
      readonly type: 'party-online';
      readonly now: number;
      readonly party: PartyNumber;
      readonly engine: NodeEngine;
      /** The node process still holds the session in memory (it can resume it). */
      readonly holdsSession: boolean;
    }
  | { readonly type: 'party-lost'; readonly now: number; readonly party: PartyNumber }
  | {
      readonly type: 'accept';
      readonly now: number;
      readonly party: PartyNumber;
      readonly acceptance: SessionAcceptance;
    }
  | {
      readonly type: 'decline';
      readonly now: number;
      readonly party: PartyNumber;
      readonly code: string;
      readonly message: string;
    }
  | {
      readonly type: 'commit';
      readonly now: number;
      readonly party: PartyNumber;
      readonly claimedParty: number;
      readonly commitments: Readonly<Record<string, string>>;
    }
  | {
      readonly type: 'envelope';
      readonly now: number;
      readonly party: PartyNumber;
      readonly route: EnvelopeRoute;
      /** The envelope itself, relayed unchanged (the core never looks inside). */
      readonly bytes: Uint8Array;
      /** SHA-256 of `bytes`, hex (computed by the adapter, which holds the bytes). */
      readonly digest: string;
    }
  | {
      readonly type: 'envelope-ack';
      readonly now: number;
      readonly party: PartyNumber;
      readonly ack: {
        readonly round: string;
        readonly from: PartyNumber;
        readonly to: PartyNumber;
        readonly chunk: number;
        readonly digest: string;
      };
    }
  | {
      readonly type: 'result';
      readonly now: number;
      readonly party: PartyNumber;
      readonly claimedParty: number;
      readonly digest: string;
      readonly outputs?: readonly ReportedOutput[];
    }
  | {
      readonly type: 'seal';
      readonly now: number;
      readonly party: PartyNumber;
      readonly claimedParty: number;
      readonly headHash: string;
      readonly signature: string;
    }
  | {
      readonly type: 'abort-report';
      readonly now: number;
      readonly party: PartyNumber;
      readonly code: string;
      readonly message: string;
      readonly suspects: readonly number[];
    }
  /** JIFF mode: the endpoint relayed one distinct message (by relay digest). */
  | {
      readonly type: 'jiff-relay';
      readonly now: number;
      readonly from: number;
      readonly to: number;
      readonly digest: string;
    }
  /** JIFF mode: the endpoint refused to register the computation. */
  | { readonly type: 'jiff-failed'; readonly now: number; readonly message: string }
  /** The adapter cannot carry on with the session (a bug or an unrecoverable store error). */
  | { readonly type: 'internal-failure'; readonly now: number; readonly message: string };

export type SessionEventType = SessionEvent['type'];
