import type { JiffMailboxEvent } from './actions.js';
import type { RandomSource } from '#concord/crypto';
import type { JiffLimits } from './limits.js';

/** Decides whether `credential` entitles its holder to act as `partyId`; supplied by the host. */
export type CredentialVerifier = (partyId: number, credential: string) => boolean;

export interface MailboxEntry {
  readonly event: JiffMailboxEvent;
  readonly payload: string;
}

/** One roster slot. Slots exist from registration on; a client claims one by initializing. */
export interface PartyState {
  readonly id: number;
  /** Digest of the credential that first claimed the slot; only it may claim the slot again. */
  credentialDigest: Uint8Array | undefined;
  /** The key peers were given; pinned once published. */
  publicKey: string | undefined;
  socketId: string | undefined;
  freed: boolean;
  /** seq → message, in FIFO order (Map iteration follows insertion). */
  readonly mailbox: Map<number, MailboxEntry>;
  mailboxBytes: number;
  /** At most one `public_keys` update waits per party; a newer map replaces it. */
  pendingKeysSeq: number | undefined;
}

/** Dealer material for one op id, kept until every receiver has fetched its shares. */
export interface DealerEntry {
  readonly fingerprint: string;
  readonly shares: ReadonlyMap<number, readonly bigint[]>;
  readonly fetched: Set<number>;
  /** Shares held (secrets × receivers), for the dealer bounds. */
  readonly held: number;
}

export interface ComputationState {
  readonly id: string;
  readonly partyCount: number;
  readonly expiresAt: number;
  readonly verifyCredential: CredentialVerifier;
  readonly serverPublicKey: string;
  readonly parties: ReadonlyMap<number, PartyState>;
  readonly dealer: Map<string, DealerEntry>;
  /** Op ids whose material was fully fetched, oldest first (bounded). */
  readonly completedOps: Set<string>;
  /** Zp (decimal) → primality verdict. */
  readonly checkedZp: Map<string, boolean>;
  /** Shares held by pending dealer entries. */
  dealerShares: number;
  lastActivity: number;
}

export interface SocketBinding {
  readonly computationId: string;
  readonly partyId: number;
}

export interface JiffServerState {
  readonly computations: Map<string, ComputationState>;
  readonly sockets: Map<string, SocketBinding>;
  readonly socketErrors: Map<string, number>;
  /** Server-wide totals, bounded by `maxTotalMailboxBytes` and `maxDealerSharesTotal`. */
  mailboxBytes: number;
  dealerShares: number;
  nextSeq: number;
}

/** Everything a handler needs besides the state: time, randomness and bounds are parameters. */
export interface JiffContext {
  readonly state: JiffServerState;
  readonly random: RandomSource;
  readonly now: () => number;
  readonly limits: JiffLimits;
}

export function createServerState(): JiffServerState {
  return {
    computations: new Map(),
    sockets: new Map(),
    socketErrors: new Map(),
    mailboxBytes: 0,
    dealerShares: 0,
    nextSeq: 1,
  };
}

export function createPartyState(id: number): PartyState {
  return {
    id,
    credentialDigest: undefined,
    publicKey: undefined,
    socketId: undefined,
    freed: false,
    mailbox: new Map(),
    mailboxBytes: 0,
    pendingKeysSeq: undefined,
  };
}

/** The computation and party a socket initialized as, if it did and the computation still exists. */
export function boundParty(
  state: JiffServerState,
  socketId: string,
): { computation: ComputationState; party: PartyState } | undefined {
  const binding = state.sockets.get(socketId);
  if (binding === undefined) return undefined;
  const computation = state.computations.get(binding.computationId);
  const party = computation?.parties.get(binding.partyId);
  if (computation === undefined || party === undefined) return undefined;
  return { computation, party };
}
