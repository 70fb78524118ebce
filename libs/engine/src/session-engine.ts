import type { IdentitySigner } from '#concord/crypto';
import type { PartyIndex } from '#concord/sharing';
import type { TranscriptEntry } from '#concord/transcript';
import type { SessionAcceptance } from './acceptance.js';
import type { OutboundEnvelope } from './envelope-chunks.js';
import type { JoinMaterial } from './party-join.js';
import type { NoiseCommitment } from './party-session.js';
import type { SessionResult } from './session-result.js';
import type { TranscriptSeal } from './transcript-check.js';

/** Where an engine puts what it produces while its data phase runs (the node's transport). */
export interface EngineOutput {
  /** An envelope to relay to a peer (the native engine). */
  send(envelope: OutboundEnvelope): void;
  /**
   * Whether the transport takes another envelope now. When it does not (too many sent envelopes
   * await their acknowledgement), the engine seals nothing more until `SessionEngine.resume`.
   */
  hasRoom(): boolean;
  /** The opened (noisy) result, once. */
  finished(result: SessionResult): void;
  /** The engine failed: the node reports the error (with its suspects) and leaves the session. */
  failed(error: unknown): void;
}

/**
 * One party's side of one session, whichever engine runs its data rounds. The agency node keeps
 * one map of these and drives every session the same way: acceptance, the peers' acceptances,
 * the noise commitment, the go-ahead (`begin`), relayed envelopes, sealing. The engine never does
 * I/O of its own towards the coordinator; what it sends goes through `EngineOutput`.
 */
export interface SessionEngine {
  readonly kind: 'native' | 'jiff';
  readonly sessionId: string;
  readonly self: PartyIndex;
  /** This party's signed consent: its fresh session key (and JIFF key) bound to the plan hash. */
  acceptance(): SessionAcceptance;
  /** Checks all three acceptances against the pinned identity keys and derives the keys. */
  receiveAcceptances(list: readonly SessionAcceptance[]): void;
  /** Deals this party's noise (one vector per output) and returns its commitments. */
  commitNoise(noise: readonly ArrayLike<number>[]): NoiseCommitment;
  /** A peer's published commitment to the noise it will deal this party. */
  receiveCommitment(commitment: NoiseCommitment): void;
  /**
   * The go-ahead: starts the data phase with this party's inputs (after both peers committed);
   * a join plan's data phase starts with the private join, from `join`.
   */
  begin(
    inputs: ReadonlyMap<string, ArrayLike<number>>,
    out: EngineOutput,
    join?: JoinMaterial,
  ): void;
  /**
   * A relayed envelope (native engine; the JIFF engine refuses them). `digest`, when the caller
   * has it, is `envelopeDigest(bytes)`: the node hashes each envelope once for its
   * acknowledgement and the transcript record alike.
   */
  receiveEnvelope(bytes: Uint8Array, out: EngineOutput, digest?: string): void;
  /** The transport has room again (an envelope was acknowledged): sending that paused goes on. */
  resume(out: EngineOutput): void;
  /** The opened result, once the data phase finished. */
  readonly result: SessionResult | undefined;
  /** Checks the coordinator's transcript against this party's own view and signs its head. */
  seal(entries: readonly TranscriptEntry[], identity: IdentitySigner): TranscriptSeal;
  /** Ends the engine (sealed, aborted or dropped): stops any client and drops its secrets. */
  stop(): void;
}
