import type { IdentitySigner, RandomSource } from '#concord/crypto';
import type { SessionPlan } from '#concord/protocol';
import { PARTIES, type PartyIndex } from '#concord/sharing';
import { parseEnvelopeRoute } from '#concord/wire';
import type { OutboundEnvelope, PendingEnvelope } from './envelope-chunks.js';
import { EngineError } from './engine-error.js';
import type { JoinMaterial } from './party-join.js';
import { PartySession, type PartySessionOptions } from './party-session.js';
import type { SessionResult } from './session-result.js';

export interface InProcessParty {
  readonly identity: IdentitySigner;
  /** Inputs this party owns, by input name. */
  readonly inputs: ReadonlyMap<string, ArrayLike<number>>;
  /** One noise vector per plan output. */
  readonly noise: readonly (readonly bigint[])[];
  readonly rng: RandomSource;
  /** This party's part of a join plan's private join (required when the plan joins). */
  readonly join?: JoinMaterial;
}

export interface InProcessRun {
  readonly sessions: readonly PartySession[];
  readonly results: readonly SessionResult[];
  /** The error each party aborted with, if any (delivery to the others goes on). */
  readonly errors: ReadonlyMap<PartyIndex, EngineError>;
}

/**
 * Runs a whole session among three in-process parties with a perfect relay: the reference run
 * for tests and the in-memory baseline of the benchmarks. `relay` may rewrite or drop envelopes
 * (tests use it to play a malicious coordinator).
 */
export function runSessionInProcess(
  plan: SessionPlan,
  parties: readonly [InProcessParty, InProcessParty, InProcessParty],
  options: {
    chunkBytes?: number;
    relay?: (e: OutboundEnvelope) => Uint8Array | undefined;
    /** Builds a party's session (tests substitute a deviating party). */
    createSession?: (options: PartySessionOptions) => PartySession;
  } = {},
): InProcessRun {
  const pinned = new Map<PartyIndex, Uint8Array>(
    PARTIES.map((p) => [p, parties[p - 1].identity.publicKey]),
  );
  const create = options.createSession ?? ((o: PartySessionOptions) => new PartySession(o));
  const sessions = PARTIES.map((p) =>
    create({
      self: p,
      plan,
      identity: parties[p - 1].identity,
      pinnedKeys: pinned,
      rng: parties[p - 1].rng,
      chunkBytes: options.chunkBytes,
    }),
  );
  const acceptances = sessions.map((s) => s.acceptance());
  for (const s of sessions) s.receiveAcceptances(acceptances);
  const commitments = sessions.map((s, i) => s.commitNoise(parties[i].noise));
  for (const s of sessions)
    for (const c of commitments) if (c.party !== s.self) s.receiveCommitment(c);

  const queue: OutboundEnvelope[] = [];
  const errors = new Map<PartyIndex, EngineError>();
  sessions.forEach((s, i) => {
    const { inputs, join } = parties[i];
    if (!plan.join) {
      queue.push(...sealAll(s.shareInputs(inputs)));
    } else if (join) {
      queue.push(...sealAll(s.startJoin(join, inputs)));
    } else {
      throw new EngineError('wrong-phase', `party ${s.self} brings nothing to the join`);
    }
  });
  while (queue.length > 0) {
    const envelope = queue.shift()!;
    const bytes = options.relay ? options.relay(envelope) : envelope.bytes;
    if (!bytes) continue;
    const { to } = parseEnvelopeRoute(bytes);
    if (errors.has(to)) continue;
    try {
      queue.push(...sealAll(sessions[to - 1].receiveEnvelope(bytes)));
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      errors.set(to, e);
    }
  }
  return { sessions, results: sessions.flatMap((s) => (s.result ? [s.result] : [])), errors };
}

/** Seals a step's envelopes at once, in order (a synchronous driver has no transport to wait on). */
function sealAll(envelopes: readonly PendingEnvelope[]): OutboundEnvelope[] {
  return envelopes.map((sealNow) => sealNow());
}
