import {
  fromHex,
  generateSessionKeyPair,
  type IdentityKeyPair,
  type RandomSource,
  type SessionKeyPair,
  toHex,
} from '#concord/crypto';
import {
  checkAcceptances,
  EngineError,
  type NoiseCommitment,
  type OpenedOutput,
  resultDigest,
  type SessionAcceptance,
  type JiffSessionView,
  type SessionResult,
  signAcceptance,
} from '#concord/engine';
import { fieldById, fromBigInts, jiffPrimeFor, type PrimeField } from '#concord/field';
import { planHash, type SessionPlan } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import { JIFF_SOCKET_PATH, signJiffCredential } from '#concord/wire';
import type { RelaySummary } from './jiff-client-session.js';
import { JiffEngineError } from './jiff-engine-error.js';
import { dealNoise, noiseCommitment, sharesFor } from './jiff-noise.js';
import { type JiffRun, type JiffRunner, workerRunner } from './jiff-runner.js';

const PARTIES = [1, 2, 3] as const;

export interface JiffNodeSessionOptions {
  readonly self: PartyIndex;
  readonly plan: SessionPlan;
  readonly identity: IdentityKeyPair;
  /** Identity keys pinned out of band (the consortium file), by party. */
  readonly pinnedKeys: ReadonlyMap<PartyIndex, Uint8Array>;
  readonly rng: RandomSource;
  /** The coordinator's URL (its origin hosts the JIFF endpoint on `JIFF_SOCKET_PATH`). */
  readonly coordinatorUrl: string;
  /** Where the stock client runs (default: a worker thread). */
  readonly runner?: JiffRunner;
}

type Phase = 'created' | 'keyed' | 'committed' | 'running' | 'done' | 'failed';

/**
 * One party's JIFF-mode session. Up to the data rounds it is the native flow: a signed acceptance
 * (here binding, besides the session key, the X25519 key of this party's JIFF client), the peers'
 * acceptances checked against the pinned identity keys, noise dealt and committed to before any
 * data. Then the stock JIFF client runs the plan against the coordinator's JIFF endpoint, and the
 * opened outputs become the same `SessionResult` the native engine reports.
 */
export class JiffNodeSession {
  readonly sessionId: string;
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
  private relay = new Map<string, RelaySummary>();
  private resultValue: SessionResult | undefined;
  private phase: Phase = 'created';

  constructor(private readonly options: JiffNodeSessionOptions) {
    this.sessionId = options.plan.sessionId;
    this.planHash = planHash(options.plan);
    this.field = fieldById(options.plan.field);
    this.prime = jiffPrimeFor(this.field.modulus);
    this.sessionKey = generateSessionKeyPair(options.rng);
    this.jiffKey = generateSessionKeyPair(options.rng);
  }

  get self(): PartyIndex {
    return this.options.self;
  }

  get result(): SessionResult | undefined {
    return this.resultValue;
  }

  /** Once the JIFF client started, this party's noise shares may have left (no ledger refund). */
  get noiseDealt(): boolean {
    return this.run !== undefined;
  }

  /** This party's signed consent: session key and JIFF key, bound to the plan hash. */
  acceptance(): SessionAcceptance {
    return signAcceptance(this.options.identity, {
      sessionId: this.sessionId,
      party: this.self,
      planHash: this.planHash,
      sessionKey: toHex(this.sessionKey.publicKey),
      jiffKey: toHex(this.jiffKey.publicKey),
    });
  }

  /** Every acceptance must be signed by its pinned identity key, for this plan, with a JIFF key. */
  receiveAcceptances(list: readonly SessionAcceptance[]): void {
    this.expectPhase('created');
    this.acceptances = checkAcceptances(list, {
      sessionId: this.sessionId,
      planHash: this.planHash,
      pinnedKeys: this.options.pinnedKeys,
      self: this.self,
      own: { sessionKey: toHex(this.sessionKey.publicKey), jiffKey: toHex(this.jiffKey.publicKey) },
    });
    this.phase = 'keyed';
  }

  /**
   * Deals this party's noise (one vector per output, drawn from the pool at acceptance) as JIFF
   * shares now, and returns the commitments to the shares each peer will receive.
   */
  commitNoise(noise: readonly ArrayLike<number>[]): NoiseCommitment {
    this.expectPhase('keyed');
    const outputs = this.options.plan.outputs;
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

  receiveCommitment(c: NoiseCommitment): void {
    const from = c.party;
    if (c.sessionId !== this.sessionId || from === this.self || !PARTIES.includes(from)) {
      throw new EngineError('unexpected-message', 'noise commitment for another session or party');
    }
    const value = c.commitments[String(this.self)];
    if (
      typeof value !== 'string' ||
      !/^[0-9a-f]{64}$/.test(value) ||
      this.peerCommitments.has(from)
    ) {
      throw new EngineError(
        'unexpected-message',
        `party ${from} sent a malformed or repeated noise commitment`,
        [from],
      );
    }
    this.peerCommitments.set(from, value);
  }

  /**
   * Starts the stock client once both peers' commitments are known. Inputs must lie in their
   * declared cell bounds (out-of-bounds data is never shared). Resolves with the result this party
   * opened, which it then reports like a native party.
   */
  async start(inputs: ReadonlyMap<string, ArrayLike<number>>): Promise<SessionResult> {
    this.expectPhase('committed');
    if (this.peerCommitments.size !== 2) {
      throw new EngineError(
        'wrong-phase',
        'the JIFF computation starts only after both peers have committed to their noise',
      );
    }
    const { plan, self } = this.options;
    for (const input of plan.inputs.filter((i) => i.party === self)) {
      const values = inputs.get(input.name);
      if (!values || values.length !== input.length) {
        throw new EngineError(
          'input-out-of-bounds',
          `input ${input.name} must have ${input.length} cells`,
        );
      }
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isSafeInteger(v) || v < input.cell.min || v > input.cell.max) {
          throw new EngineError(
            'input-out-of-bounds',
            `input ${input.name} cell ${i} is outside [${input.cell.min}, ${input.cell.max}]`,
          );
        }
      }
    }
    const origin = new URL(this.options.coordinatorUrl).origin;
    this.phase = 'running';
    this.run = (this.options.runner ?? workerRunner)({
      url: origin,
      socketPath: JIFF_SOCKET_PATH,
      sessionId: this.sessionId,
      self,
      prime: this.prime.toString(),
      credential: signJiffCredential(this.options.identity.secretKey, this.sessionId, self),
      publicKey: this.jiffKey.publicKey,
      secretKey: this.jiffKey.secretKey,
      jiffKeys: Object.fromEntries(
        PARTIES.map((p) => [p, fromHex(this.acceptances.get(p)!.jiffKey!, 32)]),
      ),
      plan,
      inputs: new Map(
        plan.inputs.filter((i) => i.party === self).map((i) => [i.name, inputs.get(i.name)!]),
      ),
      noise: this.noise,
      dealt: this.dealt,
      peerCommitments: this.peerCommitments,
    });
    try {
      const outcome = await this.run.outcome;
      this.relay = new Map(outcome.relay);
      this.resultValue = this.toResult(outcome.outputs);
      this.phase = 'done';
      return this.resultValue;
    } catch (e) {
      this.phase = 'failed';
      throw e;
    }
  }

  /** What `sealTranscript` checks the coordinator's transcript against. */
  sealView(): JiffSessionView {
    return {
      engine: 'jiff',
      sessionId: this.sessionId,
      planHash: this.planHash,
      plan: this.options.plan,
      self: this.self,
      prime: this.prime.toString(),
      result: this.resultValue,
      acceptedBy: this.acceptances,
      commitment: this.ownCommitment,
      receivedCommitments: this.peerCommitments,
      relay: this.relay,
    };
  }

  /** Ends the stock client (session sealed, dropped or aborted). */
  stop(): void {
    this.run?.stop();
  }

  /** Opened values in the plan's field, with the native engine's result digest. */
  private toResult(outputs: readonly (readonly bigint[])[]): SessionResult {
    const plan = this.options.plan;
    if (
      outputs.length !== plan.outputs.length ||
      plan.outputs.some((o, i) => outputs[i].length !== o.length)
    ) {
      throw new JiffEngineError('jiff-client-failed', 'the JIFF client opened the wrong outputs');
    }
    const opened: OpenedOutput[] = plan.outputs.map((o, i) => {
      const values = outputs[i];
      const max = this.field.maxMagnitude;
      if (values.some((v) => v > max || v < -max)) {
        throw new JiffEngineError(
          'output-out-of-range',
          `output ${o.name} opened outside the plan's field: the JIFF computation was corrupted`,
        );
      }
      return { name: o.name, vector: fromBigInts(this.field, [...values]) };
    });
    return { outputs: opened, digest: resultDigest(this.sessionId, opened) };
  }

  private expectPhase(phase: Phase): void {
    if (this.phase !== phase)
      throw new EngineError('wrong-phase', `expected phase ${phase}, session is ${this.phase}`);
  }
}
