import type { IdentitySigner } from '#concord/crypto';
import { type ChargeDecision, privacyCharge } from '#concord/accounting';
import { Rational } from '#concord/dp';
import {
  type EngineOutput,
  envelopeDigest,
  type JoinMaterial,
  type NoiseCommitment,
  type OutboundEnvelope,
  type SessionAcceptance,
  type SessionEngine,
  type SessionResult,
} from '#concord/engine';
import { describeError, isConcordError } from '#concord/errors';
import { failpoint } from '#concord/failpoint';
import { vectorToBytes } from '#concord/field';
import { planHash, type SessionPlan } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import type { TranscriptEntry } from '#concord/transcript';
import {
  type DeclineCode,
  envelopeSlot,
  FromNode,
  type NodeEngine,
  parseEnvelopeRoute,
  type SessionInviteDto,
} from '#concord/wire';
import type { Logger } from 'pino';
import type { InvitationDecision } from './invitation-policy.js';
import type { NodeLedger } from './node-ledger.js';
import type { NodeMetrics, NodeSessionOutcome } from './node-metrics.js';
import type { NodeSession, NodeSessionStatus } from './node-session.js';
import type { NoiseSupply } from './noise-supply.js';

export interface NodeSessionsPorts {
  readonly self: PartyIndex;
  readonly engine: NodeEngine;
  readonly identity: IdentitySigner;
  readonly ledger: NodeLedger;
  readonly noise: NoiseSupply;
  readonly logger: Logger;
  readonly decide: (invite: SessionInviteDto) => InvitationDecision;
  /** Reads this agency's inputs of a plan through its connectors (throws `ConnectorError`). */
  readonly readInputs: (plan: SessionPlan) => Promise<Map<string, Float64Array>>;
  /** A join plan's part of this node in the private join (tokens, per-card rows); else none. */
  readonly readJoin?: (plan: SessionPlan) => Promise<JoinMaterial | undefined>;
  readonly createEngine: (plan: SessionPlan) => SessionEngine;
  /** Sends to the coordinator now if connected; otherwise drops it (a resume asks again). */
  readonly send: (event: string, payload: unknown) => void;
  /** How long a session may stay in memory before this node gives up on it. */
  readonly sessionTimeoutMs: number;
  readonly now: () => number;
  /** Records what happens to sessions, when the node serves metrics. */
  readonly metrics?: NodeMetrics;
  /**
   * Sent envelope bytes a session may hold unacknowledged before its engine seals no more
   * (default `DEFAULT_SEND_WINDOW_BYTES`).
   */
  readonly sendWindowBytes?: number;
}

/**
 * Four full chunks: a 10⁶-cell round (two chunks to one peer, one to the other) never waits, and a
 * larger round streams with at most this much sealed and unacknowledged per session, however
 * large it is. Each acknowledgement lets the next chunk be sealed.
 */
export const DEFAULT_SEND_WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * Every session this agency node holds, driven through one `SessionEngine` whatever engine runs
 * it. Each handler is safe to run again with the same message (after a reconnection the
 * coordinator repeats the current phase's message and asks for what it has not recorded). The
 * ledger is written at the three moments that matter, before the node acts on them: the charge
 * when it accepts, the go-ahead before it deals anything, the outcome when the session ends.
 */
export class NodeSessions {
  private readonly sessions = new Map<string, NodeSession>();

  constructor(private readonly ports: NodeSessionsPorts) {
    ports.metrics?.countHeldSessionsWith(() => [...this.sessions.values()].map((s) => s.status));
  }

  /** Sessions held in memory (announced at login: the coordinator resumes them). */
  held(): string[] {
    return [...this.sessions.keys()];
  }

  async onInvite(invite: SessionInviteDto): Promise<void> {
    const id = invite.sessionId;
    const existing = this.sessions.get(id);
    if (existing) {
      // The same invitation again (after a reconnection): answer again if already accepted. The
      // same session on other terms is refused: its charge was taken for the first ones.
      if (existing.plan && invite.planHash !== planHash(existing.plan)) {
        return this.decline(
          id,
          'budget-exceeded',
          'this session was already accepted on other terms; the ledger refuses to charge it again (idempotency-conflict)',
        );
      }
      if (existing.acceptance) this.sendAcceptance(existing);
      return;
    }
    const decision = this.ports.decide(invite);
    if (!decision.ok) return this.decline(id, decision.code, decision.message);
    const { plan } = decision;
    const session: NodeSession = {
      id,
      startedAt: this.ports.now(),
      reporter: invite.reporter,
      status: 'reading',
      statusSince: this.ports.now(),
      cancelled: false,
      plan,
      outbox: new Map(),
      inputSent: false,
      openSent: false,
    };
    this.sessions.set(id, session);
    failpoint('node.reading-inputs');
    let inputs: Map<string, Float64Array>;
    try {
      inputs = await this.ports.readInputs(plan);
      session.join = await this.ports.readJoin?.(plan);
    } catch (e) {
      this.sessions.delete(id);
      if (session.cancelled) return;
      if (isConcordError(e) && e.code === 'invalid-data')
        return this.decline(id, 'invalid-data', e.message);
      if (isConcordError(e) && e.code === 'no-data-for-date')
        return this.decline(id, 'no-data-for-date', e.message);
      return this.decline(
        id,
        'data-unavailable',
        `the inputs could not be read: ${describeError(e)}`,
      );
    }
    if (session.cancelled || this.sessions.get(id) !== session) {
      // The session ended while the inputs were read: nothing was charged, nothing is sent.
      this.sessions.delete(id);
      this.ports.logger.info({ sessionId: id }, 'session ended while its inputs were read');
      return;
    }
    // Everything that can fail before the charge is done first: once charged, only the send
    // of the acceptance remains.
    let engine: SessionEngine;
    try {
      engine = this.ports.createEngine(plan);
      session.noise = this.ports.noise.draw(plan.outputs);
      session.acceptance = engine.acceptance();
    } catch (e) {
      this.sessions.delete(id);
      if (isConcordError(e) && e.code === 'key-not-valid')
        return this.decline(id, 'key-not-valid', e.message);
      return this.decline(
        id,
        'busy',
        `this node could not prepare the session: ${describeError(e)}`,
      );
    }
    let charge: ChargeDecision;
    try {
      charge = this.ports.ledger.charge(
        id,
        plan.privacyUnit.scope,
        plan.privacyUnit.window,
        privacyCharge(Rational.parse(plan.budget.rho), Rational.parse(plan.budget.xi)),
      );
    } catch (e) {
      engine.stop();
      this.sessions.delete(id);
      return this.decline(
        id,
        'ledger-unavailable',
        `the ledger could not record the charge: ${describeError(e)}`,
      );
    }
    if (!charge.ok) {
      engine.stop();
      this.sessions.delete(id);
      return this.decline(
        id,
        'budget-exceeded',
        `this agency's ledger refuses the charge for ${plan.privacyUnit.scope} on ${plan.privacyUnit.window} (${charge.code})`,
      );
    }
    session.engine = engine;
    session.inputs = inputs;
    this.enter(session, 'accepted');
    this.sendAcceptance(session);
    this.ports.logger.info({ sessionId: id, protocol: plan.protocol.id }, 'session accepted');
    failpoint('node.accepted');
  }

  onKeys(sessionId: string, acceptances: readonly SessionAcceptance[]): void {
    const s = this.sessions.get(sessionId);
    if (!s?.engine || s.status !== 'accepted') return;
    this.step(s, () => {
      s.engine!.receiveAcceptances(acceptances);
      s.commitment = s.engine!.commitNoise(s.noise!);
      this.enter(s, 'committed');
      this.sendCommitment(s);
      failpoint('node.committed');
    });
  }

  /** The go-ahead: recorded in the ledger before anything is dealt, then the data rounds start. */
  onGoAhead(sessionId: string, commitments: readonly NoiseCommitment[]): void {
    const s = this.sessions.get(sessionId);
    if (!s?.engine || s.status !== 'committed') return;
    this.step(s, () => {
      for (const c of commitments) if (c.party !== this.ports.self) s.engine!.receiveCommitment(c);
      this.ports.ledger.markDataPhaseStarted(s.id);
      this.enter(s, 'running');
      s.engine!.begin(s.inputs!, this.output(s), s.join);
    });
    if (s.inputSent) failpoint('node.input-sent');
  }

  onEnvelope(bytes: Uint8Array): void {
    const route = parseEnvelopeRoute(bytes);
    const s = this.sessions.get(route.sessionId);
    if (!s?.engine || route.to !== this.ports.self) return;
    if (s.status === 'reading' || s.status === 'accepted') return;
    // Acknowledged once taken in (buffered until its round is complete): its sender may forget it.
    // One hash of the envelope serves the acknowledgement and the engine's transcript record.
    const digest = envelopeDigest(bytes);
    this.step(s, () => s.engine!.receiveEnvelope(bytes, this.output(s), digest));
    if (!this.sessions.has(s.id)) return;
    this.ports.send(FromNode.sessionEnvelopeAck, {
      sessionId: s.id,
      round: route.round,
      from: route.from,
      to: route.to,
      chunk: route.chunk,
      digest,
    });
  }

  onEnvelopeAck(ack: {
    sessionId: string;
    round: string;
    from: number;
    to: number;
    chunk: number;
  }): void {
    const s = this.sessions.get(ack.sessionId);
    if (!s?.outbox.delete(envelopeSlot(ack)) || !s.engine || !this.hasRoom(s)) return;
    this.step(s, () => s.engine!.resume(this.output(s)));
  }

  onSealRequest(sessionId: string, entries: readonly TranscriptEntry[]): void {
    const s = this.sessions.get(sessionId);
    if (!s?.engine?.result) return;
    if (!s.seal) {
      const ok = this.step(s, () => {
        const seal = s.engine!.seal(entries, this.ports.identity);
        s.seal = { sessionId, party: this.ports.self, ...seal };
        this.enter(s, 'sealed');
        this.ports.logger.info(
          { sessionId, head: seal.headHash },
          'transcript verified and sealed',
        );
      });
      if (!ok) return;
    }
    this.ports.send(FromNode.sessionSeal, s.seal);
  }

  /** The coordinator asks for what it has not recorded, and every unacknowledged envelope. */
  onResume(
    sessionId: string,
    recorded: { accepted: boolean; committed: boolean; reported: boolean; sealed: boolean },
  ): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    if (!recorded.accepted && s.acceptance) this.sendAcceptance(s);
    if (!recorded.committed && s.commitment) this.sendCommitment(s);
    for (const bytes of s.outbox.values()) this.ports.send(FromNode.sessionEnvelope, bytes);
    if (!recorded.reported && s.result) this.ports.send(FromNode.sessionResult, s.result);
    if (!recorded.sealed && s.seal) this.ports.send(FromNode.sessionSeal, s.seal);
  }

  /** The session ended: the ledger settles by the coordinator's verdict and this node's own record. */
  onEnded(
    sessionId: string,
    outcome: { kind: 'completed' } | { kind: 'aborted'; coordinatorRefunds: boolean },
  ): void {
    const s = this.sessions.get(sessionId);
    if (s) this.ended(s, outcome.kind);
    if (s?.status === 'reading') s.cancelled = true;
    else if (s) this.forget(s);
    const verdict = this.ports.ledger.settle(sessionId, outcome);
    this.ports.logger.info(
      { sessionId, outcome: outcome.kind, ledger: verdict.code },
      `session ${outcome.kind}; ledger ${verdict.refund ? 'refunded' : 'kept the charge'}`,
    );
  }

  /** Drops sessions held too long (the coordinator never came back); their charges stay pending. */
  sweep(): void {
    const now = this.ports.now();
    for (const s of [...this.sessions.values()]) {
      if (now - s.startedAt < this.ports.sessionTimeoutMs) continue;
      this.ports.logger.warn(
        { sessionId: s.id },
        'session held too long without an outcome; dropped (its charge stays pending until the coordinator tells)',
      );
      this.ended(s, 'dropped');
      if (s.status === 'reading') s.cancelled = true;
      else this.forget(s);
    }
  }

  private output(s: NodeSession): EngineOutput {
    return {
      send: (e: OutboundEnvelope) => this.sendEnvelope(s, e),
      hasRoom: () => this.hasRoom(s),
      finished: (r: SessionResult) => this.report(s, r),
      failed: (e: unknown) => this.fail(s, e),
    };
  }

  /** Whether the session's unacknowledged envelopes leave room for another within the window. */
  private hasRoom(s: NodeSession): boolean {
    let held = 0;
    for (const bytes of s.outbox.values()) held += bytes.byteLength;
    return held < (this.ports.sendWindowBytes ?? DEFAULT_SEND_WINDOW_BYTES);
  }

  private sendEnvelope(s: NodeSession, e: OutboundEnvelope): void {
    if (this.sessions.get(s.id) !== s) return;
    s.outbox.set(envelopeSlot(e.header), e.bytes);
    this.ports.send(FromNode.sessionEnvelope, e.bytes);
    if (e.header.round === 'input') s.inputSent = true;
    if (e.header.round === 'open' && !s.openSent) {
      s.openSent = true;
      failpoint('node.open-sent');
    }
  }

  /** The result digest; the reporter also sends the (noisy) values. */
  private report(s: NodeSession, r: SessionResult): void {
    if (this.sessions.get(s.id) !== s || s.result) return;
    this.enter(s, 'opened');
    s.result = {
      sessionId: s.id,
      party: this.ports.self,
      resultDigest: r.digest,
      ...(s.reporter === this.ports.self
        ? {
            // Binary frames: the limbs the digest covers, no decimal text to write or parse.
            outputs: r.outputs.map((o) => ({ name: o.name, limbs: vectorToBytes(o.vector) })),
          }
        : {}),
    };
    this.ports.send(FromNode.sessionResult, s.result);
    failpoint('node.result-sent');
  }

  /**
   * This node stops the session: it says why (with the parties it cannot exclude) and forgets it.
   * If it never sent its noise commitment the data phase cannot have begun anywhere, so it gives
   * its charge back at once; otherwise the coordinator's verdict settles it.
   */
  private fail(s: NodeSession, e: unknown): void {
    if (this.sessions.get(s.id) !== s) return;
    const code = isConcordError(e) ? e.code : 'internal-error';
    const suspects = (e as { suspects?: readonly number[] }).suspects ?? [];
    const message = e instanceof Error ? e.message : String(e);
    this.ports.logger.error({ sessionId: s.id, code, suspects }, `aborting: ${message}`);
    this.ports.send(FromNode.sessionAbort, {
      sessionId: s.id,
      code,
      message,
      suspects: [...suspects],
    });
    this.ended(s, 'aborted-by-node');
    this.forget(s);
    if (s.status === 'accepted') this.ports.ledger.refundOwnAbort(s.id);
  }

  /** Runs a step of a session; a failure aborts the session. Returns whether it succeeded. */
  private step(s: NodeSession, run: () => void): boolean {
    try {
      run();
      return true;
    } catch (e) {
      this.fail(s, e);
      return false;
    }
  }

  private forget(s: NodeSession): void {
    s.engine?.stop();
    this.sessions.delete(s.id);
  }

  private sendAcceptance(s: NodeSession): void {
    this.ports.send(FromNode.sessionAccept, { sessionId: s.id, acceptance: s.acceptance });
  }

  private sendCommitment(s: NodeSession): void {
    this.ports.send(FromNode.sessionCommit, s.commitment);
  }

  private decline(sessionId: string, code: DeclineCode, message: string): void {
    this.ports.logger.warn({ sessionId, code }, `declining: ${message}`);
    this.ports.send(FromNode.sessionDecline, { sessionId, code, message });
    this.ports.metrics?.sessionEnded('declined');
  }

  /** A session moves to its next phase: the one it leaves is timed. */
  private enter(s: NodeSession, status: NodeSessionStatus): void {
    const now = this.ports.now();
    this.ports.metrics?.sessionPhaseFinished(s.status, Math.max(0, now - s.statusSince) / 1000);
    s.status = status;
    s.statusSince = now;
  }

  /** A session this node held ends: its last phase and its whole time are recorded. */
  private ended(s: NodeSession, outcome: NodeSessionOutcome): void {
    const now = this.ports.now();
    this.ports.metrics?.sessionPhaseFinished(s.status, Math.max(0, now - s.statusSince) / 1000);
    this.ports.metrics?.sessionEnded(outcome, Math.max(0, now - s.startedAt) / 1000);
  }
}
