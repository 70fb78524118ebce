import type { Logger } from 'pino';
import { io, type Socket } from 'socket.io-client';
import {
  bufferedRandom,
  type IdentityKeyPair,
  type RandomSource,
  systemRandom,
} from '#concord/crypto';
import { type Consortium } from '#concord/consortium';
import { privacyCharge } from '#concord/accounting';
import { Rational } from '#concord/dp';
import {
  EngineError,
  outputDecimals,
  PartySession,
  type PartySessionOptions,
  sealTranscript,
  type SessionResult,
} from '#concord/engine';
import {
  type Catalogue,
  compileSessionPlan,
  planHash,
  ProtocolError,
  type SessionPlan,
} from '#concord/protocol';
import { type PartyIndex } from '#concord/sharing';
import type { TranscriptEntry } from '#concord/transcript';
import {
  AuthChallengeDto,
  AuthResultDto,
  type DeclineCode,
  FromNode,
  NODE_NAMESPACE,
  type NodeEngine,
  SealRequestDto,
  SessionAbortedDto,
  SessionCommitmentsDto,
  SessionInviteDto,
  SessionKeysDto,
  signAuthChallenge,
  ToNode,
  validateMessage,
  WireError,
  WireLimits,
} from '#concord/wire';
import type { NodeConfig } from '../config/node-config.js';
import { ConnectorError } from '../connectors/connector-error.js';
import { CONNECTORS } from '../connectors/connectors.js';
import {
  JiffEngineError,
  JiffSessionEngine as JiffNodeSession,
  type JiffSessionEngineOptions as JiffNodeSessionOptions,
} from '#concord/jiff-engine';
import { NodeLedger } from './node-ledger.js';
import { NoiseSupply } from './noise-supply.js';

interface ActiveSession {
  readonly plan: SessionPlan;
  readonly engine: PartySession;
  readonly inputs: ReadonlyMap<string, Float64Array>;
  readonly reporter: number;
  /** This party's noise, one vector per output, drawn at acceptance. */
  readonly noise: Float64Array[];
  reported: boolean;
}

/** A session this node runs on the JIFF engine (`--engine jiff`). */
interface JiffActiveSession {
  readonly plan: SessionPlan;
  readonly session: JiffNodeSession;
  readonly inputs: ReadonlyMap<string, Float64Array>;
  readonly reporter: number;
  /** This party's noise, one vector per output, drawn at acceptance exactly as natively. */
  readonly noise: Float64Array[];
}

export interface AgencyNodeDeps {
  readonly config: NodeConfig;
  readonly identity: IdentityKeyPair;
  readonly consortium: Consortium;
  readonly catalogue: Catalogue;
  readonly logger: Logger;
  readonly rng?: RandomSource;
  /** Builds the engine for a session (tests substitute an instrumented one). */
  readonly createSession?: (options: PartySessionOptions) => PartySession;
  /** Builds a JIFF-engine session (tests run its stock client in-thread). */
  readonly createJiffSession?: (options: JiffNodeSessionOptions) => JiffNodeSession;
}

/**
 * The daemon an agency runs. It logs in with its identity key, and for each invitation checks
 * the protocol against its own approved list, recompiles the plan from its own catalogue copy,
 * checks its own privacy ledger, reads its data through the connectors — all before it accepts.
 * Then it drives the sans-I/O session engine with what the coordinator relays.
 */
export class AgencyNode {
  private socket: Socket | undefined;
  private readonly sessions = new Map<string, ActiveSession>();
  private readonly jiffSessions = new Map<string, JiffActiveSession>();
  /** How this node runs data rounds: the native engine, or the stock JIFF client. */
  private readonly engine: NodeEngine;
  private readonly noise = new NoiseSupply();
  private readonly ledger: NodeLedger;
  private readonly party: PartyIndex;
  private readonly rng: RandomSource;
  private readonly pinned: Map<PartyIndex, Uint8Array>;
  private readonly readyWaiters: ((ok: boolean, message?: string) => void)[] = [];

  constructor(private readonly deps: AgencyNodeDeps) {
    const self = deps.consortium.agencies.find((a) => a.id === deps.config.agencyId);
    if (!self) throw new Error(`agency ${deps.config.agencyId} is not in the consortium file`);
    if (Buffer.compare(Buffer.from(self.identityKey), Buffer.from(deps.identity.publicKey)) !== 0) {
      throw new Error(
        'the identity key file does not match the key the consortium pins for this agency',
      );
    }
    this.party = self.party;
    this.engine = deps.config.engine ?? 'native';
    this.rng = deps.rng ?? bufferedRandom(systemRandom);
    this.pinned = new Map(deps.consortium.agencies.map((a) => [a.party, a.identityKey]));
    this.ledger = new NodeLedger(
      deps.config.ledger!.file,
      Rational.parse(deps.config.ledger!.capRho),
    );
  }

  /** Connects and resolves once the coordinator accepted this node's identity. */
  start(): Promise<void> {
    this.noise.prefill(this.deps.config.noise?.prefill ?? []);
    const socket = io(`${this.deps.config.coordinatorUrl}${NODE_NAMESPACE}`, {
      transports: ['websocket'],
      reconnectionDelayMax: 2000,
    });
    this.socket = socket;
    socket.on(ToNode.authChallenge, (p: unknown) =>
      this.guard(undefined, () => this.onChallenge(p)),
    );
    socket.on(ToNode.authResult, (p: unknown) => this.guard(undefined, () => this.onAuthResult(p)));
    socket.on(ToNode.sessionInvite, (p: unknown) =>
      this.guard(sessionOf(p), () => this.onInvite(p)),
    );
    socket.on(ToNode.sessionKeys, (p: unknown) => this.guard(sessionOf(p), () => this.onKeys(p)));
    socket.on(ToNode.sessionCommitments, (p: unknown) =>
      this.guard(sessionOf(p), () => this.onCommitments(p)),
    );
    socket.on(ToNode.sessionEnvelope, (p: unknown) =>
      this.guard(undefined, () => this.onEnvelope(p)),
    );
    socket.on(ToNode.sessionSealRequest, (p: unknown) =>
      this.guard(sessionOf(p), () => this.onSealRequest(p)),
    );
    socket.on(ToNode.sessionAborted, (p: unknown) =>
      this.guard(undefined, () => this.onAborted(p)),
    );
    socket.on(ToNode.error, (p: unknown) =>
      this.deps.logger.warn({ refusal: p }, 'coordinator refused a message'),
    );
    socket.on('disconnect', (reason) => {
      this.deps.logger.warn({ reason }, 'disconnected from the coordinator');
      for (const id of [...this.sessions.keys(), ...this.jiffSessions.keys()])
        this.drop(id, 'disconnected');
    });
    return new Promise((resolve, reject) => {
      this.readyWaiters.push((ok, message) =>
        ok ? resolve() : reject(new Error(message ?? 'authentication refused')),
      );
    });
  }

  stop(): void {
    this.socket?.disconnect();
  }

  private onChallenge(payload: unknown): void {
    const c = validateMessage(AuthChallengeDto, payload, 'auth.challenge');
    const signature = signAuthChallenge(
      this.deps.identity.secretKey,
      c.nonce,
      this.deps.config.agencyId,
      c.coordinator,
    );
    this.socket?.emit(FromNode.authResponse, {
      agencyId: this.deps.config.agencyId,
      engine: this.engine,
      signature,
    });
  }

  private onAuthResult(payload: unknown): void {
    const r = validateMessage(AuthResultDto, payload, 'auth.result');
    if (r.ok) this.deps.logger.info({ party: this.party }, 'authenticated with the coordinator');
    else this.deps.logger.error({ message: r.message }, 'the coordinator refused this node');
    for (const w of this.readyWaiters.splice(0)) w(r.ok, r.message);
  }

  private async onInvite(payload: unknown): Promise<void> {
    const invite = validateMessage(SessionInviteDto, payload, 'session.invite');
    const { request } = invite;
    const decline = (code: DeclineCode, message: string): void => {
      this.deps.logger.warn({ sessionId: invite.sessionId, code }, `declining: ${message}`);
      this.socket?.emit(FromNode.sessionDecline, { sessionId: invite.sessionId, code, message });
    };
    const wanted = invite.engine ?? 'native';
    if (wanted !== this.engine) {
      return decline(
        'engine-mismatch',
        `this node runs the ${this.engine} engine; the session asks for ${wanted}`,
      );
    }
    if (!this.deps.config.approvedProtocols.includes(request.protocolHash)) {
      return decline(
        'protocol-not-approved',
        `protocol ${request.protocolHash} is not on this agency's approved list`,
      );
    }
    const entry = this.deps.catalogue.byProtocolHash(request.protocolHash);
    if (!entry)
      return decline('protocol-not-approved', 'approved protocol missing from the local catalogue');
    let plan: SessionPlan;
    try {
      const parties = Object.fromEntries(
        this.deps.consortium.agencies.map((a) => [a.role, a.party]),
      ) as SessionPlan['parties'];
      plan = compileSessionPlan(entry.analysis, {
        sessionId: invite.sessionId,
        parameters: request.parameters,
        axisValues: request.axisValues,
        budget: request.budget,
        parties,
      });
    } catch (e) {
      if (e instanceof ProtocolError) return decline('plan-mismatch', e.message);
      throw e;
    }
    if (planHash(plan) !== invite.planHash)
      return decline('plan-mismatch', 'the plan this node compiled differs from the invitation');

    let inputs: Map<string, Float64Array>;
    try {
      inputs = await this.readInputs(plan);
    } catch (e) {
      if (e instanceof ConnectorError) return decline('invalid-data', e.message);
      throw e;
    }
    if (
      !this.ledger.charge(
        plan.sessionId,
        plan.privacyUnit.scope,
        plan.privacyUnit.window,
        privacyCharge(Rational.parse(plan.budget.rho), Rational.parse(plan.budget.xi)),
      ).ok
    ) {
      return decline(
        'budget-exceeded',
        `this agency's ledger refuses the charge for ${plan.privacyUnit.scope} on ${plan.privacyUnit.window} ` +
          '(it would exceed the cap, or the session was already charged on other terms)',
      );
    }
    if (this.engine === 'jiff') return this.acceptJiff(plan, inputs, invite.reporter);
    const create = this.deps.createSession ?? ((o: PartySessionOptions) => new PartySession(o));
    const engine = create({
      self: this.party,
      plan,
      identity: this.deps.identity,
      pinnedKeys: this.pinned,
      rng: this.rng,
    });
    this.sessions.set(plan.sessionId, {
      plan,
      engine,
      inputs,
      reporter: invite.reporter,
      noise: this.noise.draw(plan.outputs),
      reported: false,
    });
    this.socket?.emit(FromNode.sessionAccept, {
      sessionId: plan.sessionId,
      acceptance: engine.acceptance(),
    });
    this.deps.logger.info(
      { sessionId: plan.sessionId, protocol: plan.protocol.id },
      'session accepted',
    );
  }

  /** Accepts in JIFF mode: the same checks were made; the acceptance also signs the JIFF key. */
  private acceptJiff(plan: SessionPlan, inputs: Map<string, Float64Array>, reporter: number): void {
    const options: JiffNodeSessionOptions = {
      self: this.party,
      plan,
      identity: this.deps.identity,
      pinnedKeys: this.pinned,
      rng: this.rng,
      coordinatorUrl: this.deps.config.coordinatorUrl,
    };
    const session = this.deps.createJiffSession?.(options) ?? new JiffNodeSession(options);
    this.jiffSessions.set(plan.sessionId, {
      plan,
      session,
      inputs,
      reporter,
      noise: this.noise.draw(plan.outputs),
    });
    this.socket?.emit(FromNode.sessionAccept, {
      sessionId: plan.sessionId,
      acceptance: session.acceptance(),
    });
    this.deps.logger.info(
      { sessionId: plan.sessionId, protocol: plan.protocol.id, engine: 'jiff' },
      'session accepted',
    );
  }

  /** JIFF mode: the data rounds run in the stock client; the result is reported as natively. */
  private async runJiff(active: JiffActiveSession): Promise<void> {
    let result: SessionResult;
    try {
      result = await active.session.start(active.inputs);
    } catch (e) {
      if (this.jiffSessions.get(active.plan.sessionId) === active) this.fail(active, e);
      return;
    }
    if (this.jiffSessions.get(active.plan.sessionId) !== active) return;
    this.reportResult(active.plan.sessionId, result, active.reporter);
  }

  /** Runs this agency's connectors for its inputs of the plan. */
  private async readInputs(plan: SessionPlan): Promise<Map<string, Float64Array>> {
    const inputs = new Map<string, Float64Array>();
    for (const input of plan.inputs.filter((i) => i.party === this.party)) {
      const connector = CONNECTORS[input.connector];
      if (!connector)
        throw new ConnectorError('node', undefined, undefined, `no connector ${input.connector}`);
      const { values, report } = await connector({
        plan,
        input,
        files: this.deps.config.data[input.connector] ?? {},
      });
      // Counts of rows only: never values.
      this.deps.logger.info(
        { sessionId: plan.sessionId, input: input.name, ...report },
        'input read',
      );
      inputs.set(input.name, values);
    }
    return inputs;
  }

  private onKeys(payload: unknown): void {
    const msg = validateMessage(SessionKeysDto, payload, 'session.keys');
    const jiff = this.jiffSessions.get(msg.sessionId);
    if (jiff) {
      jiff.session.receiveAcceptances(msg.acceptances);
      this.socket?.emit(FromNode.sessionCommit, jiff.session.commitNoise(jiff.noise));
      return;
    }
    const active = this.active(msg.sessionId);
    active.engine.receiveAcceptances(msg.acceptances);
    const commitment = active.engine.commitNoise(active.noise);
    this.socket?.emit(FromNode.sessionCommit, commitment);
  }

  private onCommitments(payload: unknown): void {
    const msg = validateMessage(SessionCommitmentsDto, payload, 'session.commitments');
    const jiff = this.jiffSessions.get(msg.sessionId);
    if (jiff) {
      for (const c of msg.commitments)
        if (c.party !== this.party) jiff.session.receiveCommitment(c);
      void this.runJiff(jiff);
      return;
    }
    const active = this.active(msg.sessionId);
    for (const c of msg.commitments) if (c.party !== this.party) active.engine.receiveCommitment(c);
    this.send(active.engine.shareInputs(active.inputs));
  }

  private onEnvelope(payload: unknown): void {
    const bytes = toBytes(payload);
    if (!bytes || bytes.byteLength > WireLimits.maxEnvelopeBytes)
      throw new WireError('invalid-envelope', 'envelope is not binary or too large');
    const sessionId = /"sessionId":"([0-9a-f-]{36})"/.exec(
      Buffer.from(bytes.subarray(0, 1100)).toString('latin1'),
    )?.[1];
    const active = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!active) return;
    try {
      this.send(active.engine.receiveEnvelope(bytes));
    } catch (e) {
      this.fail(active, e);
      return;
    }
    const result = active.engine.result;
    if (result && !active.reported) {
      active.reported = true;
      this.reportResult(active.plan.sessionId, result, active.reporter);
    }
  }

  /** The result digest; the reporter also sends the (noisy) values. */
  private reportResult(sessionId: string, result: SessionResult, reporter: number): void {
    this.socket?.emit(FromNode.sessionResult, {
      sessionId,
      party: this.party,
      resultDigest: result.digest,
      ...(reporter === this.party
        ? { outputs: result.outputs.map((o) => ({ name: o.name, values: outputDecimals(o) })) }
        : {}),
    });
  }

  private send(envelopes: readonly { bytes: Uint8Array }[]): void {
    for (const e of envelopes) this.socket?.emit(FromNode.sessionEnvelope, e.bytes);
  }

  private onSealRequest(payload: unknown): void {
    const msg = validateMessage(SealRequestDto, payload, 'session.seal-request');
    const jiff = this.jiffSessions.get(msg.sessionId);
    const seal = sealTranscript(
      jiff ? jiff.session.sealView() : this.active(msg.sessionId).engine,
      msg.entries as unknown as TranscriptEntry[],
      this.deps.identity,
    );
    this.socket?.emit(FromNode.sessionSeal, {
      sessionId: msg.sessionId,
      party: this.party,
      ...seal,
    });
    this.deps.logger.info(
      { sessionId: msg.sessionId, head: seal.headHash },
      'transcript verified and sealed',
    );
    this.sessions.delete(msg.sessionId);
    jiff?.session.stop();
    this.jiffSessions.delete(msg.sessionId);
  }

  private onAborted(payload: unknown): void {
    const msg = validateMessage(SessionAbortedDto, payload, 'session.aborted');
    this.deps.logger.warn(
      { sessionId: msg.sessionId, code: msg.code },
      `session aborted: ${msg.message}`,
    );
    this.drop(msg.sessionId, 'aborted');
  }

  private drop(sessionId: string, why: string): void {
    const jiff = this.jiffSessions.get(sessionId);
    if (jiff) {
      // As natively: no refund once this party's noise shares may have left (its JIFF client ran).
      if (!jiff.session.noiseDealt) this.ledger.refundOwnAbort(sessionId);
      jiff.session.stop();
      this.jiffSessions.delete(sessionId);
      this.deps.logger.info({ sessionId, why }, 'session dropped');
      return;
    }
    const active = this.sessions.get(sessionId);
    if (!active) return;
    // Refund this agency's ledger only if it never dealt its noise: once its noise sharing left,
    // a peer that also holds the other sharings could reconstruct a release (test T18).
    if (active.engine.sent.length === 0) this.ledger.refundOwnAbort(sessionId);
    this.sessions.delete(sessionId);
    this.deps.logger.info({ sessionId, why }, 'session dropped');
  }

  private fail(active: { readonly plan: SessionPlan }, e: unknown): void {
    const id = active.plan.sessionId;
    const typed = e instanceof EngineError || e instanceof JiffEngineError;
    const code = typed ? e.code : 'internal-error';
    const suspects = typed ? [...e.suspects] : [];
    const message = e instanceof Error ? e.message : String(e);
    this.deps.logger.error({ sessionId: id, code, suspects }, `aborting: ${message}`);
    this.socket?.emit(FromNode.sessionAbort, { sessionId: id, code, message, suspects });
    this.drop(id, code);
  }

  private active(sessionId: string): ActiveSession {
    const active = this.sessions.get(sessionId);
    if (!active) throw new WireError('invalid-message', `no active session ${sessionId}`);
    return active;
  }

  /** Runs a handler so that no message can crash the node; session failures abort the session. */
  private guard(sessionId: string | undefined, run: () => unknown): void {
    Promise.resolve()
      .then(run)
      .catch((e: unknown) => {
        const active = sessionId
          ? (this.sessions.get(sessionId) ?? this.jiffSessions.get(sessionId))
          : undefined;
        if (active && !(e instanceof WireError)) return this.fail(active, e);
        this.deps.logger.warn(
          { sessionId, err: e instanceof Error ? e.message : String(e) },
          'message refused',
        );
      })
      .catch(() => undefined);
  }
}

function sessionOf(payload: unknown): string | undefined {
  const id = (payload as { sessionId?: unknown } | null)?.sessionId;
  return typeof id === 'string' ? id : undefined;
}

function toBytes(payload: unknown): Uint8Array | undefined {
  if (payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  return undefined;
}
