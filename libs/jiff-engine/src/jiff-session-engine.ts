import {
  constantTimeEqual,
  fromHex,
  generateSessionKeyPair,
  type IdentitySigner,
  type RandomSource,
  type SessionKeyPair,
  toHex,
} from '#concord/crypto';
import {
  checkAcceptances,
  EngineError,
  type EngineOutput,
  type JiffSessionView,
  type NoiseCommitment,
  ownInputs,
  sealTranscript,
  type SessionAcceptance,
  type SessionEngine,
  type SessionResult,
  signAcceptance,
  type TranscriptSeal,
} from '#concord/engine';
import { fieldById, jiffPrimeFor, type PrimeField } from '#concord/field';
import { planHash, type SessionPlan } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import type { TranscriptEntry } from '#concord/transcript';
import { JIFF_SOCKET_PATH, signJiffCredential } from '#concord/wire';
import type { JiffClientConfig, RelaySummary } from './jiff-client-session.js';
import { JiffEngineError } from './jiff-engine-error.js';
import { dealNoise, noiseCommitment, sharesFor } from './jiff-noise.js';
import { openedResult } from './jiff-opened-result.js';

import { type JiffRun, type JiffRunner, workerRunner } from './jiff-runner.js';

const PARTIES = [1, 2, 3] as const;

export interface JiffSessionEngineOptions {
  readonly self: PartyIndex;
  readonly plan: SessionPlan;
  readonly identity: IdentitySigner;
  /** Identity keys pinned out of band (the consortium file), by party. */
  readonly pinnedKeys: ReadonlyMap<PartyIndex, Uint8Array>;
  /** The epoch of each pinned key, as in the native engine (`PartySessionOptions.keyEpochs`). */
  readonly keyEpochs?: ReadonlyMap<PartyIndex, number>;
  readonly rng: RandomSource;
  /** The coordinator's URL (its origin hosts the JIFF endpoint on `JIFF_SOCKET_PATH`). */
  readonly coordinatorUrl: string;
  /** PEM CA certificate(s) the coordinator's TLS certificate must chain to (default: public roots). */
  readonly ca?: string;
  /** Where the stock client runs (default: a worker thread). */
  readonly runner?: JiffRunner;
}

type Phase = 'created' | 'keyed' | 'committed' | 'running' | 'done' | 'failed' | 'stopped';

/**
 * One party's JIFF-mode session. Up to the data rounds it is the native flow: a signed acceptance
 * (here binding, besides the session key, the X25519 key of this party's JIFF client), the peers'
 * acceptances checked against the pinned identity keys, noise dealt and committed to before any
 * data. Then the stock JIFF client runs the plan against the coordinator's JIFF endpoint, and the
 * opened outputs become the same `SessionResult` the native engine reports.
 *
 * A resumed session may repeat what it already did: the same acceptances, the same commitments,
 * the same noise and a second go-ahead are no-ops; anything different is refused.
 */
export class JiffSessionEngine implements SessionEngine {
  readonly kind = 'jiff';
  readonly sessionId: string;
  readonly self: PartyIndex;
  readonly plan: SessionPlan;
  readonly planHash: string;
  /** The prime the JIFF computation runs modulo: the smallest JIFF prime above the plan's field. */
  readonly prime: bigint;
  private readonly field: PrimeField;
  private readonly sessionKey: SessionKeyPair;
  private readonly jiffKey: SessionKeyPair;
  private acceptances = new Map<PartyIndex, SessionAcceptance>();
  private readonly peerCommitments = new Map<PartyIndex, string>();
  private ownCommitment: NoiseCommitment | undefined;
  private noise: readonly ArrayLike<number>[] = [];
  private dealt: bigint[][][] = [];
  private run: JiffRun | undefined;
  private running: Promise<SessionResult> | undefined;
  private relay = new Map<string, RelaySummary>();
  private resultValue: SessionResult | undefined;
  private phase: Phase = 'created';

  constructor(private readonly options: JiffSessionEngineOptions) {
    this.sessionId = options.plan.sessionId;
    this.self = options.self;
    this.plan = options.plan;
    this.planHash = planHash(options.plan);
    this.field = fieldById(options.plan.field);
    this.prime = jiffPrimeFor(this.field.modulus);
    this.sessionKey = generateSessionKeyPair(options.rng);
    this.jiffKey = generateSessionKeyPair(options.rng);
  }

  get result(): SessionResult | undefined {
    return this.resultValue;
  }

  /** Once the JIFF client started, this party's noise shares may have left (no ledger refund). */
  get noiseDealt(): boolean {
    return this.running !== undefined;
  }

  /** This party's signed consent: session key and JIFF key, bound to the plan hash. */
  acceptance(): SessionAcceptance {
    return signAcceptance(this.options.identity, {
      sessionId: this.sessionId,
      party: this.self,
      planHash: this.planHash,
      sessionKey: toHex(this.sessionKey.publicKey),
      jiffKey: toHex(this.jiffKey.publicKey),
      ...(this.options.keyEpochs ? { keyEpoch: this.options.keyEpochs.get(this.self) ?? 0 } : {}),
    });
  }

  /**
   * Every acceptance must be signed by its pinned identity key, for this plan, with a JIFF key.
   * Relayed again (a resumed session), the same acceptances are a no-op; others are refused.
   */
  receiveAcceptances(list: readonly SessionAcceptance[]): void {
    if (this.phase !== 'created') {
      const differ = PARTIES.filter((p) => {
        const known = this.acceptances.get(p);
        const again = list.find((a) => a.party === p);
        return known === undefined || again === undefined || !sameAcceptance(known, again);
      });
      if (differ.length === 0) return;
      throw new EngineError(
        'peer-key-invalid',
        'the relayed acceptances differ from those this party already accepted',
        differ,
      );
    }
    this.acceptances = checkAcceptances(list, {
      sessionId: this.sessionId,
      planHash: this.planHash,
      pinnedKeys: this.options.pinnedKeys,
      ...(this.options.keyEpochs ? { keyEpochs: this.options.keyEpochs } : {}),
      self: this.self,
      own: { sessionKey: toHex(this.sessionKey.publicKey), jiffKey: toHex(this.jiffKey.publicKey) },
    });
    this.phase = 'keyed';
  }

  /**
   * Deals this party's noise (one vector per output, drawn from the pool at acceptance) as JIFF
   * shares now, and returns the commitments to the shares each peer will receive. Asked again
   * with the same noise, it returns the same commitment: the noise is dealt once.
   */
  commitNoise(noise: readonly ArrayLike<number>[]): NoiseCommitment {
    if (this.ownCommitment !== undefined) {
      if (sameNoise(noise, this.noise)) return this.ownCommitment;
      throw new EngineError('wrong-phase', 'this party already dealt and committed to its noise');
    }
    this.expectPhase('keyed');
    const outputs = this.plan.outputs;
    if (noise.length !== outputs.length || outputs.some((o, i) => noise[i].length !== o.length)) {
      throw new EngineError('malformed-payload', 'one noise vector per output is required');
    }
    this.noise = noise;
    this.dealt = dealNoise(noise, this.prime, this.options.rng);
    const commitments: Record<string, string> = {};
    for (const peer of PARTIES.filter((p) => p !== this.self)) {
      commitments[String(peer)] = noiseCommitment(
        this.sessionId,
        this.self,
        peer,
        sharesFor(this.dealt, peer),
      );
    }
    this.ownCommitment = { sessionId: this.sessionId, party: this.self, commitments };
    this.phase = 'committed';
    return this.ownCommitment;
  }

  /** A peer's commitment; the same one again is a no-op, a different one is refused. */
  receiveCommitment(c: NoiseCommitment): void {
    const from = c.party;
    if (c.sessionId !== this.sessionId || from === this.self || !PARTIES.includes(from)) {
      throw new EngineError('unexpected-message', 'noise commitment for another session or party');
    }
    const value = c.commitments[String(this.self)];
    if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) {
      throw new EngineError(
        'unexpected-message',
        `party ${from} sent a malformed noise commitment`,
        [from],
      );
    }
    const known = this.peerCommitments.get(from);
    if (known === value) return;
    if (known !== undefined) {
      throw new EngineError(
        'unexpected-message',
        `party ${from} sent a noise commitment other than the one it committed to`,
        [from],
      );
    }
    this.peerCommitments.set(from, value);
  }

  /**
   * The go-ahead: starts the stock client and reports its outcome to `out` (`finished` with the
   * result, or `failed`), never as a rejection, and nothing once the engine was stopped. Refuses
   * at once (throws, nothing started) before both peers committed or for inputs outside their
   * declared bounds. A second go-ahead is a no-op: the first run reports.
   */
  begin(inputs: ReadonlyMap<string, ArrayLike<number>>, out: EngineOutput): void {
    if (this.running !== undefined || this.phase === 'stopped') return;
    this.start(inputs)
      .then((result) => {
        if (this.phase !== 'stopped') out.finished(result);
      })
      .catch((error: unknown) => {
        if (this.phase !== 'stopped') out.failed(error);
      })
      // `failed` itself threw: the node's own handler, nothing left to report it to.
      .catch(() => undefined);
  }

  /**
   * The promise form of `begin`: resolves with the result this party opened (a second call
   * returns the same promise). Throws at once, like `begin`, when the run cannot start.
   */
  start(inputs: ReadonlyMap<string, ArrayLike<number>>): Promise<SessionResult> {
    if (this.running !== undefined) return this.running;
    this.expectPhase('committed');
    if (this.peerCommitments.size !== 2) {
      throw new EngineError(
        'wrong-phase',
        'the JIFF computation starts only after both peers have committed to their noise',
      );
    }
    const own = ownInputs(this.plan, this.self, inputs);
    this.phase = 'running';
    this.running = this.execute(this.clientConfig(own));
    return this.running;
  }

  /** JIFF's client sends through its own socket: the node's envelope window never holds it. */
  resume(): void {}

  /** A JIFF-mode session relays no native envelopes: one arriving is refused. */
  receiveEnvelope(): never {
    throw new JiffEngineError(
      'unexpected-envelope',
      'a JIFF-mode session relays no native envelopes',
    );
  }

  /** Checks the coordinator's transcript against this party's view and signs its head. */
  seal(entries: readonly TranscriptEntry[], identity: IdentitySigner): TranscriptSeal {
    return sealTranscript(this.sealView(), entries, identity);
  }

  /** What `sealTranscript` checks the coordinator's transcript against. */
  sealView(): JiffSessionView {
    return {
      engine: 'jiff',
      sessionId: this.sessionId,
      planHash: this.planHash,
      plan: this.plan,
      self: this.self,
      prime: this.prime.toString(),
      result: this.resultValue,
      acceptedBy: this.acceptances,
      commitment: this.ownCommitment,
      receivedCommitments: this.peerCommitments,
      relay: this.relay,
    };
  }

  /**
   * Ends the engine (sealed, aborted or dropped): stops the stock client, reports nothing more,
   * and drops the secrets it held (the noise, its dealt shares, the private keys).
   */
  stop(): void {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    this.run?.stop();
    this.noise = [];
    this.dealt = [];
    this.sessionKey.secretKey.fill(0);
    this.jiffKey.secretKey.fill(0);
  }

  /** Runs the stock client; a runner that throws fails the run like any client failure. */
  private async execute(config: JiffClientConfig): Promise<SessionResult> {
    try {
      this.run = (this.options.runner ?? workerRunner)(config);
      const outcome = await this.run.outcome;
      this.relay = new Map(outcome.relay);
      this.resultValue = openedResult(this.plan, this.field, outcome.outputs);
      if (this.phase === 'running') this.phase = 'done';
      return this.resultValue;
    } catch (e) {
      if (this.phase === 'running') this.phase = 'failed';
      throw e;
    }
  }

  private clientConfig(inputs: ReadonlyMap<string, ArrayLike<number>>): JiffClientConfig {
    const { identity, coordinatorUrl } = this.options;
    return {
      url: new URL(coordinatorUrl).origin,
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
      socketPath: JIFF_SOCKET_PATH,
      sessionId: this.sessionId,
      self: this.self,
      prime: this.prime.toString(),
      credential: signJiffCredential(identity, this.sessionId, this.self),
      publicKey: this.jiffKey.publicKey,
      secretKey: this.jiffKey.secretKey,
      jiffKeys: Object.fromEntries(
        PARTIES.map((p) => [p, fromHex(this.acceptances.get(p)!.jiffKey!, 32)]),
      ),
      plan: this.plan,
      inputs,
      noise: this.noise,
      dealt: this.dealt,
      peerCommitments: this.peerCommitments,
    };
  }

  private expectPhase(phase: Phase): void {
    if (this.phase !== phase)
      throw new EngineError('wrong-phase', `expected phase ${phase}, session is ${this.phase}`);
  }
}

function sameAcceptance(a: SessionAcceptance, b: SessionAcceptance): boolean {
  return (
    a.sessionId === b.sessionId &&
    a.party === b.party &&
    a.planHash === b.planHash &&
    a.sessionKey === b.sessionKey &&
    a.jiffKey === b.jiffKey &&
    a.keyEpoch === b.keyEpoch &&
    a.signature === b.signature
  );
}

/** The same noise vectors, compared without branching on their values (they are secrets). */
function sameNoise(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): boolean {
  const bytes = (v: readonly ArrayLike<number>[]): Uint8Array =>
    new Uint8Array(Float64Array.from(v.flatMap((x) => Array.from(x))).buffer);
  return (
    a.length === b.length &&
    a.every((x, i) => x.length === b[i].length) &&
    constantTimeEqual(bytes(a), bytes(b))
  );
}
