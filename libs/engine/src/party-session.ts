import {
  deriveSessionKeys,
  fromHex,
  generateSessionKeyPair,
  type IdentitySigner,
  openEnvelope,
  type RandomSource,
  type SessionKeyPair,
  taggedHash,
  toHex,
  utf8,
  CryptoError,
} from '#concord/crypto';
import {
  addInto,
  fieldById,
  type FieldVector,
  fromBigInts,
  fromSafeIntegers,
  type PrimeField,
} from '#concord/field';
import { planAxisSize, planHash, type SessionPlan } from '#concord/protocol';
import {
  dealVector,
  firstInconsistency,
  othersOf,
  PARTIES,
  type PartyIndex,
  reconstructPair,
  type ShareMessage,
  shareFromMessage,
} from '#concord/sharing';
import { type EnvelopeRoute, isRoundOfPlan, parseEnvelopeRoute, WireError } from '#concord/wire';
import { checkAcceptances, signAcceptance, type SessionAcceptance } from './acceptance.js';
import {
  ChunkSequencer,
  DEFAULT_CHUNK_BYTES,
  envelopeDigest,
  type PendingEnvelope,
  sealChunks,
} from './envelope-chunks.js';
import { EngineError } from './engine-error.js';
import { ownInputs } from './own-inputs.js';
import {
  type GroupBatch,
  type GroupBatchFailure,
  type JoinTask,
  maxJoinMessageBytes,
} from '#concord/private-join';
import { type JoinMaterial, type JoinProgress, PartyJoin } from './party-join.js';
import {
  type DecodedPayload,
  maxPayloadBytes,
  PayloadDecoder,
  PayloadWriter,
  type Section,
} from './payload-codec.js';
import { resultDigest, type SessionResult } from './session-result.js';
import { ShareProgram } from './share-program.js';

/** One round's payload from one sender while its chunks arrive. */
interface InboundPayload {
  readonly sequencer: ChunkSequencer;
  /** Plaintext bytes received so far, and the most the round's layout can hold. */
  bytes: number;
  readonly limit: number;
  /** Called once every chunk was delivered. */
  readonly complete: () => void;
}

/** A party's published commitments to the noise sharings it will deal, one per receiver. */
export interface NoiseCommitment {
  readonly sessionId: string;
  readonly party: PartyIndex;
  readonly commitments: Readonly<Record<string, string>>;
}

/** One envelope this party sent or received, as the transcript must record it. */
export interface EnvelopeRecord {
  readonly round: string;
  readonly from: PartyIndex;
  readonly to: PartyIndex;
  readonly chunk: number;
  readonly digest: string;
}

export interface PartySessionOptions {
  readonly self: PartyIndex;
  readonly plan: SessionPlan;
  readonly identity: IdentitySigner;
  /** Identity keys pinned out of band (the consortium file), by party. */
  readonly pinnedKeys: ReadonlyMap<PartyIndex, Uint8Array>;
  /**
   * The epoch of each pinned key (the one valid now per the consortium file). When given, this
   * party's acceptance names its own epoch and every peer's must name the pinned one.
   */
  readonly keyEpochs?: ReadonlyMap<PartyIndex, number>;
  readonly rng: RandomSource;
  readonly chunkBytes?: number;
  /**
   * When set, a join plan's group operations are left for `workJoin` (which the driver calls in
   * slices, so the node's event loop keeps serving); unset, each join step runs when it can.
   */
  readonly joinSlices?: boolean;
}

type Phase = 'created' | 'keyed' | 'committed' | 'joining' | 'shared' | 'done' | 'failed';

const SALT_BYTES = 32;
const COMMIT_PURPOSE = 'concord/noise-commitment/v1';

/**
 * One party's side of a session, sans I/O: the caller feeds it the peers' acceptances,
 * commitments and envelopes (as the coordinator relays them) and sends what it returns.
 *
 * Rounds: `join-1` and `join-2` (a join plan's private join, `party-join.ts`), `input` (noise
 * and input sharings, one envelope per receiver), `mul-k` (one resharing round per
 * multiplication level), `open` (output shares plus every party's noise, to both peers).
 * Nothing is opened but the plan's outputs, and only with all three noise sharings in.
 */
export class PartySession {
  readonly planHash: string;
  readonly sessionId: string;
  private readonly field: PrimeField;
  private readonly program: ShareProgram;
  private readonly chunkBytes: number;
  private phase: Phase = 'created';
  private readonly sessionKey: SessionKeyPair;
  private readonly keys = new Map<string, Uint8Array>();
  private acceptances = new Map<PartyIndex, SessionAcceptance>();
  private ownCommitment: NoiseCommitment | undefined;
  private readonly peerCommitments = new Map<PartyIndex, string>();
  private noiseOutbound:
    Map<PartyIndex, { salt: Uint8Array; messages: ShareMessage[] }> | undefined;
  /** noiseShares.get(dealer)[output] = this party's share of that dealer's noise. */
  private readonly noiseShares = new Map<PartyIndex, FieldVector[]>();
  /** Payloads still arriving, by slot (`round:sender`). */
  private readonly inbound = new Map<string, InboundPayload>();
  /** The join's payloads, whole (its steps read them so). */
  private readonly payloads = new Map<string, Uint8Array>();
  /** The data rounds' payloads, decoded chunk by chunk as they arrived. */
  private readonly decoded = new Map<string, DecodedPayload>();
  /**
   * Where each envelope is decrypted: every chunk's bytes are copied out before the next
   * arrives, so one buffer (as large as the largest envelope) serves them all, not a fresh
   * multi-megabyte allocation per chunk.
   */
  private plaintextBuffer = new Uint8Array(0);
  private level = 0;
  private ownOpenShares: FieldVector[] | undefined;
  private resultValue: SessionResult | undefined;
  private readonly join: PartyJoin | undefined;
  private ordinaryInputs: ReadonlyMap<string, ArrayLike<number>> | undefined;
  /** Slots whose payload a step has read (and dropped): a resend of one is ignored. */
  private readonly taken = new Set<string>();
  private joinTask: JoinTask<JoinProgress> | undefined;
  readonly sent: EnvelopeRecord[] = [];
  readonly received: EnvelopeRecord[] = [];

  constructor(private readonly options: PartySessionOptions) {
    const { plan } = options;
    this.planHash = planHash(plan);
    this.sessionId = plan.sessionId;
    this.field = fieldById(plan.field);
    const sizes = new Map(plan.axes.map((a) => [a.name, planAxisSize(a)]));
    this.program = new ShareProgram(options.self, plan.nodes, sizes);
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.sessionKey = generateSessionKeyPair(options.rng);
    this.join = plan.join ? new PartyJoin(plan, options.self, options.rng) : undefined;
  }

  get self(): PartyIndex {
    return this.options.self;
  }

  /** The plan this party agreed to (sealing recomputes what the session publishes from it). */
  get plan(): SessionPlan {
    return this.options.plan;
  }

  get result(): SessionResult | undefined {
    return this.resultValue;
  }

  get commitment(): NoiseCommitment | undefined {
    return this.ownCommitment;
  }

  get acceptedBy(): ReadonlyMap<PartyIndex, SessionAcceptance> {
    return this.acceptances;
  }

  /** This party's signed consent: its session key bound to the plan hash. */
  acceptance(): SessionAcceptance {
    return signAcceptance(this.options.identity, {
      sessionId: this.sessionId,
      party: this.self,
      planHash: this.planHash,
      sessionKey: toHex(this.sessionKey.publicKey),
      ...(this.options.keyEpochs ? { keyEpoch: this.options.keyEpochs.get(this.self) ?? 0 } : {}),
    });
  }

  /**
   * Checks every party's acceptance against the pinned identity keys and the plan hash, then
   * derives the pairwise envelope keys. A forged or substituted key aborts naming its party.
   */
  receiveAcceptances(list: readonly SessionAcceptance[]): void {
    this.expectPhase('created');
    this.acceptances = checkAcceptances(list, {
      sessionId: this.sessionId,
      planHash: this.planHash,
      pinnedKeys: this.options.pinnedKeys,
      ...(this.options.keyEpochs ? { keyEpochs: this.options.keyEpochs } : {}),
      self: this.self,
      own: { sessionKey: toHex(this.sessionKey.publicKey) },
    });
    for (const peer of othersOf(this.self)) {
      const { send, receive } = deriveSessionKeys({
        sessionId: this.sessionId,
        mySecretKey: this.sessionKey.secretKey,
        myIndex: this.self,
        myPublicKey: this.sessionKey.publicKey,
        peerIndex: peer,
        peerPublicKey: fromHex(this.acceptances.get(peer)!.sessionKey, 32),
      });
      this.keys.set(`${this.self}->${peer}`, send);
      this.keys.set(`${peer}->${this.self}`, receive);
    }
    this.phase = 'keyed';
  }

  /**
   * Deals this party's noise (one vector per output, already sampled from the pool) and returns
   * the commitments to publish before any input is shared.
   */
  commitNoise(noise: readonly (ArrayLike<number> | readonly bigint[])[]): NoiseCommitment {
    this.expectPhase('keyed');
    const outputs = this.options.plan.outputs;
    if (noise.length !== outputs.length)
      throw new EngineError('malformed-payload', 'one noise vector per output is required');
    const own: FieldVector[] = [];
    const perPeer = new Map<PartyIndex, ShareMessage[]>(othersOf(this.self).map((p) => [p, []]));
    outputs.forEach((o, i) => {
      if (noise[i].length !== o.length)
        throw new EngineError('malformed-payload', `noise for ${o.name} has the wrong length`);
      const dealing = dealVector(this.encodeNoise(noise[i]), this.self, this.options.rng);
      own.push(dealing.own);
      for (const [peer, message] of dealing.messages) perPeer.get(peer)!.push(message);
    });
    this.noiseShares.set(this.self, own);
    this.noiseOutbound = new Map();
    const commitments: Record<string, string> = {};
    for (const [peer, messages] of perPeer) {
      const salt = new Uint8Array(SALT_BYTES);
      this.options.rng.fill(salt);
      this.noiseOutbound.set(peer, { salt, messages });
      const writer = new PayloadWriter().bytes(salt);
      for (const m of messages) writer.share(m);
      commitments[String(peer)] = this.commitmentOf(this.self, peer, writer.pieces);
    }
    this.ownCommitment = { sessionId: this.sessionId, party: this.self, commitments };
    this.phase = 'committed';
    return this.ownCommitment;
  }

  private encodeNoise(values: ArrayLike<number> | readonly bigint[]): FieldVector {
    const first: unknown = values[0];
    return typeof first === 'bigint'
      ? fromBigInts(this.field, Array.from(values as readonly bigint[]))
      : fromSafeIntegers(this.field, values as ArrayLike<number>);
  }

  /** Records a peer's published commitment to the noise sharing it will deal to this party. */
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
   * Shares this party's inputs (plan order), after both peers' noise commitments are known, so
   * the transcript shows every commitment before any data. Values must lie in the declared cell
   * bounds: clipping is the connector's job, and out-of-bounds data is never shared.
   */
  shareInputs(inputs: ReadonlyMap<string, ArrayLike<number>>): PendingEnvelope[] {
    if (this.join) {
      throw new EngineError('wrong-phase', 'a join plan shares its inputs through startJoin');
    }
    this.expectCommitted();
    const out = this.dealInputs(inputs);
    return [...out, ...this.advance()];
  }

  /**
   * A join plan's first data round: after both peers' noise commitments, this party runs its
   * role of the private join (`material`); once its part is done it shares `inputs` (those not
   * along the join axis) together with what the join produced, as `shareInputs` does.
   */
  startJoin(
    material: JoinMaterial,
    inputs: ReadonlyMap<string, ArrayLike<number>>,
  ): PendingEnvelope[] {
    if (!this.join) throw new EngineError('wrong-phase', 'this plan has no private join');
    this.expectCommitted();
    this.ordinaryInputs = inputs;
    this.joinTask = this.join.start(material);
    this.phase = 'joining';
    return this.advance();
  }

  /** Whether join work is waiting for `workJoin` (with `joinSlices`). */
  get joinWorkPending(): boolean {
    if (this.phase !== 'joining') return false;
    if (this.joinTask) return true;
    return this.join!.expectedSlots().some((slot) => this.payloads.has(slot));
  }

  /** Does up to `operations` group operations of the join; returns what finishing steps sends. */
  workJoin(operations: number): PendingEnvelope[] {
    return this.failOnEngineError(() => {
      const out = this.advanceJoin(operations);
      return [...out, ...this.advance()];
    });
  }

  /**
   * Hands up to `operations` of the current join step's group operations to another thread
   * (taking the next arrived payload as the step when none is running); undefined when there
   * are none to hand out. The outcome comes back through `completeJoinWork`.
   */
  claimJoinWork(operations: number): GroupBatch | undefined {
    if (this.phase !== 'joining') return undefined;
    return this.failOnEngineError(() => {
      this.joinTask ??= this.nextJoinStep();
      return this.joinTask?.claim(operations);
    });
  }

  /** Takes a claimed batch's outcome; returns what the step sends if that finished it. */
  completeJoinWork(batch: GroupBatch, outcome: Uint8Array | GroupBatchFailure): PendingEnvelope[] {
    if (this.phase !== 'joining' || !this.joinTask) return [];
    return this.failOnEngineError(() => {
      this.joinTask!.fill(batch, outcome);
      return [...this.advanceJoin(0), ...this.advance()];
    });
  }

  private expectCommitted(): void {
    this.expectPhase('committed');
    if (this.peerCommitments.size !== 2) {
      throw new EngineError(
        'wrong-phase',
        'inputs are shared only after both peers have committed to their noise',
      );
    }
  }

  private dealInputs(inputs: ReadonlyMap<string, ArrayLike<number>>): PendingEnvelope[] {
    const mine = ownInputs(this.options.plan, this.self, inputs);
    const writers = new Map<PartyIndex, PayloadWriter>();
    for (const [peer, noise] of this.noiseOutbound!) {
      const w = new PayloadWriter().bytes(noise.salt);
      for (const m of noise.messages) w.share(m);
      writers.set(peer, w);
    }
    for (const [name, values] of mine) {
      const dealing = dealVector(fromSafeIntegers(this.field, values), this.self, this.options.rng);
      this.program.setInput(name, dealing.own);
      for (const [peer, message] of dealing.messages) writers.get(peer)!.share(message);
    }
    this.phase = 'shared';
    return [...writers].flatMap(([peer, w]) => this.seal('input', peer, w.pieces));
  }

  /** Peers' commitments to the noise they deal this party. */
  get receivedCommitments(): ReadonlyMap<PartyIndex, string> {
    return this.peerCommitments;
  }

  /**
   * Takes one relayed envelope; returns whatever this party must send next. `digest` is
   * `envelopeDigest(bytes)` when the caller computed it already (else it is computed here).
   */
  receiveEnvelope(bytes: Uint8Array, digest?: string): PendingEnvelope[] {
    return this.failOnEngineError(() => (this.receive(bytes, digest) ? this.advance() : []));
  }

  /**
   * Takes one relayed envelope in (opened, checked, its chunk decoded, or dropped as a repeat)
   * without running the steps it makes ready; true when it completed a round's payload, so
   * `runReadySteps` has work. A driver still sending an earlier step's envelopes uses this, so no
   * envelope waits in memory for that step to finish.
   */
  takeEnvelope(bytes: Uint8Array, digest?: string): boolean {
    return this.failOnEngineError(() => this.receive(bytes, digest));
  }

  /** Runs every step whose inputs are complete; returns what those steps send. */
  runReadySteps(): PendingEnvelope[] {
    return this.failOnEngineError(() => this.advance());
  }

  private failOnEngineError<T>(step: () => T): T {
    try {
      return step();
    } catch (e) {
      // A session that saw a bad envelope or an inconsistent opening never continues.
      if (e instanceof EngineError && e.code !== 'wrong-phase') this.phase = 'failed';
      throw e;
    }
  }

  /** Takes one envelope in; true when it completed a round's payload. */
  private receive(bytes: Uint8Array, digest?: string): boolean {
    if (this.phase === 'done' || this.phase === 'failed')
      throw new EngineError('wrong-phase', `session is ${this.phase}`);
    if (this.phase === 'created' || this.phase === 'keyed')
      throw new EngineError('wrong-phase', 'envelope before keys and commitments');
    let route: EnvelopeRoute;
    try {
      route = parseEnvelopeRoute(bytes);
    } catch (e) {
      const why = e instanceof WireError ? e.message : 'malformed envelope';
      throw new EngineError('envelope-rejected', `${why} (from the relay)`);
    }
    const { round, from, to, chunk, chunks, sessionId } = route;
    if (
      sessionId !== this.sessionId ||
      to !== this.self ||
      from === this.self ||
      !isRoundOfPlan(round, this.program.levels, this.join !== undefined)
    ) {
      throw new EngineError('envelope-rejected', 'envelope header does not fit this session');
    }
    const sender: PartyIndex = from;
    if (round.startsWith('join-') && !this.join!.expectedSlots().includes(`${round}:${sender}`)) {
      throw new EngineError(
        'envelope-rejected',
        `the join's ${this.join!.role} takes no ${round} envelope from party ${sender}`,
        [sender],
      );
    }
    const expected = {
      sessionId: this.sessionId,
      round,
      from: sender,
      to: this.self,
      chunk,
      chunks,
    };
    let plaintext: Uint8Array;
    try {
      if (this.plaintextBuffer.length < bytes.length)
        this.plaintextBuffer = new Uint8Array(bytes.length);
      plaintext = openEnvelope(
        this.keys.get(`${sender}->${this.self}`)!,
        bytes,
        expected,
        this.plaintextBuffer,
      );
    } catch (e) {
      const why = e instanceof CryptoError ? e.message : 'envelope failed to open';
      throw new EngineError('envelope-rejected', why, [sender]);
    }
    const slot = `${round}:${sender}`;
    if (this.payloads.has(slot) || this.decoded.has(slot) || this.taken.has(slot)) return false;
    let inbound = this.inbound.get(slot);
    if (!inbound) {
      inbound = this.inboundPayload(round, sender, chunks);
      this.inbound.set(slot, inbound);
    } else if (inbound.sequencer.chunks !== chunks) {
      throw new EngineError(
        'envelope-rejected',
        `party ${sender} changed the chunk count of round ${round}`,
        [sender],
      );
    }
    if (!inbound.sequencer.add(chunk, plaintext)) return false;
    inbound.bytes += plaintext.length;
    if (inbound.bytes > inbound.limit) {
      throw new EngineError(
        'envelope-rejected',
        `party ${sender} sent more bytes than round ${round} can hold`,
        [sender],
      );
    }
    this.received.push({
      round,
      from: sender,
      to: this.self,
      chunk: chunk,
      digest: digest ?? envelopeDigest(bytes),
    });
    if (!inbound.sequencer.complete()) return false;
    this.inbound.delete(slot);
    inbound.complete();
    return true;
  }

  /**
   * Where one round's payload from `sender` goes as its chunks arrive: a data round's into a
   * decoder that reads the sections the plan fixes (so the payload is never whole in memory); a
   * join round's into one buffer, as the join's steps read it.
   */
  private inboundPayload(round: string, sender: PartyIndex, chunks: number): InboundPayload {
    const slot = `${round}:${sender}`;
    if (round.startsWith('join-')) {
      const parts: Uint8Array[] = [];
      return {
        sequencer: new ChunkSequencer(chunks, (p) => parts.push(p.slice())),
        // Its size follows the sender's token list, padded to at most the join's capacity; the
        // join's steps check the list itself.
        bytes: 0,
        limit: maxJoinMessageBytes(this.options.plan.join!.capacity),
        complete: () =>
          this.payloads.set(slot, parts.length === 1 ? parts[0] : Buffer.concat(parts)),
      };
    }
    // Named as before the decoder (e.g. "open round from party 2").
    const what = round === 'input' || round === 'open' ? `${round} round` : `round ${round}`;
    const layout = this.sectionsOf(round, sender);
    const decoder = new PayloadDecoder(this.field, layout, `${what} from party ${sender}`);
    return {
      sequencer: new ChunkSequencer(chunks, (p) => decoder.push(p)),
      bytes: 0,
      limit: maxPayloadBytes(this.field, layout),
      complete: () => this.decoded.set(slot, decoder.finish()),
    };
  }

  /** The sections a data round's payload from `sender` holds, in the order the plan fixes. */
  private sectionsOf(round: string, sender: PartyIndex): Section[] {
    const { plan } = this.options;
    if (round === 'open') return plan.outputs.map((o) => ({ type: 'vector', length: o.length }));
    if (round === 'input') {
      return [
        { type: 'bytes', bytes: SALT_BYTES },
        ...plan.outputs.map((o): Section => ({ type: 'share', length: o.length })),
        ...plan.inputs
          .filter((i) => i.party === sender)
          .map((i): Section => ({ type: 'share', length: i.length })),
      ];
    }
    const level = Number(round.slice('mul-'.length));
    return this.program
      .productsAt(level)
      .map((node) => ({ type: 'share', length: plan.nodes[node].length }));
  }

  /** Runs every step whose inputs are complete; returns the envelopes those steps produce. */
  private advance(): PendingEnvelope[] {
    const out: PendingEnvelope[] = [];
    if (this.phase === 'joining')
      out.push(...this.advanceJoin(this.options.joinSlices ? 0 : Infinity));
    if (this.phase !== 'shared') return out;
    if (this.level === 0) {
      if (!this.bothPeers('input')) return out;
      this.absorbInputRound();
      this.program.evaluateLinear(0);
      this.level = 1;
      out.push(...this.startLevel());
    }
    while (this.level <= this.program.levels) {
      if (!this.bothPeers(`mul-${this.level}`)) return out;
      const inbound = new Map<PartyIndex, ShareMessage[]>();
      for (const peer of othersOf(this.self)) {
        const reader = this.take(`mul-${this.level}:${peer}`);
        inbound.set(
          peer,
          this.program.productsAt(this.level).map(() => reader.share()),
        );
        reader.end();
      }
      this.program.finishProducts(this.level, inbound);
      this.program.evaluateLinear(this.level);
      this.level++;
      out.push(...this.startLevel());
    }
    if (!this.ownOpenShares) {
      this.ownOpenShares = this.openShares();
      for (const peer of othersOf(this.self)) {
        const w = new PayloadWriter();
        for (const s of this.ownOpenShares) w.vector(s);
        out.push(...this.seal('open', peer, w.pieces));
      }
    }
    if (this.bothPeers('open')) this.finishOpening();
    return out;
  }

  /**
   * Runs the join's current step for up to `budget` group operations, taking the next arrived
   * payload as the next step; seals what a finished step sends, and once this party's part is
   * done shares its inputs with what the join produced.
   */
  private advanceJoin(budget: number): PendingEnvelope[] {
    const out: PendingEnvelope[] = [];
    let left = budget;
    while (this.phase === 'joining') {
      this.joinTask ??= this.nextJoinStep();
      if (!this.joinTask) break;
      left -= this.joinTask.step(left);
      if (!this.joinTask.done) break;
      const progress = this.joinTask.result();
      this.joinTask = undefined;
      out.push(...this.sealJoin(progress));
      if (progress.joined) {
        out.push(...this.dealInputs(new Map([...this.ordinaryInputs!, ...progress.joined])));
      }
    }
    return out;
  }

  /** The join step for the next arrived payload, if one has arrived. */
  private nextJoinStep(): JoinTask<JoinProgress> | undefined {
    const slot = this.join!.expectedSlots().find((s) => this.payloads.has(s));
    if (!slot) return undefined;
    const payload = this.payloads.get(slot)!;
    this.payloads.delete(slot);
    this.taken.add(slot); // a resend after a reconnection is ignored, never re-fed
    const [round, from] = slot.split(':');
    return this.join!.receive(round, Number(from) as PartyIndex, payload);
  }

  private sealJoin(progress: JoinProgress): PendingEnvelope[] {
    return progress.sends.flatMap((s) => this.seal(s.round, s.to, [s.payload]));
  }

  /**
   * This party's shares of the outputs: the program's value plus all three noise sharings. (A
   * test subclass overrides it to play a party that opens a wrong share.)
   */
  protected openShares(): FieldVector[] {
    return this.options.plan.outputs.map((o, i) => {
      const value = this.program.value(o.node);
      const share = { ...value, data: value.data.slice() };
      for (const dealer of PARTIES) addInto(share, this.noiseShares.get(dealer)![i]);
      return share;
    });
  }

  private startLevel(): PendingEnvelope[] {
    if (this.level > this.program.levels) return [];
    const messages = this.program.startProducts(this.level, this.options.rng);
    return othersOf(this.self).flatMap((peer) => {
      const w = new PayloadWriter();
      for (const m of messages.get(peer) ?? []) w.share(m);
      return this.seal(`mul-${this.level}`, peer, w.pieces);
    });
  }

  /** Reads both peers' input-round payloads: checks each noise section against its commitment. */
  private absorbInputRound(): void {
    const { plan } = this.options;
    for (const peer of othersOf(this.self)) {
      const reader = this.take(`input:${peer}`);
      reader.bytes();
      const noise = plan.outputs.map(() => reader.share());
      if (
        this.commitmentOf(peer, this.self, reader.consumed()) !== this.peerCommitments.get(peer)
      ) {
        throw new EngineError(
          'noise-commitment-mismatch',
          `party ${peer}'s noise sharing does not match its commitment`,
          [peer],
        );
      }
      this.noiseShares.set(
        peer,
        noise.map((m, i) => shareFromMessage(this.field, plan.outputs[i].length, m)),
      );
      for (const input of plan.inputs.filter((i) => i.party === peer)) {
        this.program.setInput(
          input.name,
          shareFromMessage(this.field, input.length, reader.share()),
        );
      }
      reader.end();
    }
  }

  /** Checks the three shares of every output lie on one line, then reconstructs and decodes. */
  private finishOpening(): void {
    const { plan } = this.options;
    const shares = new Map<PartyIndex, FieldVector[]>([[this.self, this.ownOpenShares!]]);
    for (const peer of othersOf(this.self)) {
      const reader = this.take(`open:${peer}`);
      shares.set(
        peer,
        plan.outputs.map(() => reader.vector()),
      );
      reader.end();
    }
    const outputs = plan.outputs.map((o, i) => {
      const [s1, s2, s3] = PARTIES.map((p) => shares.get(p)![i]);
      const bad = firstInconsistency([s1, s2, s3]);
      if (bad >= 0) {
        this.phase = 'failed';
        throw new EngineError(
          'inconsistent-opening',
          `opened shares of ${o.name} are inconsistent at cell ${bad}: one of parties ${othersOf(this.self).join(' and ')} deviated`,
          othersOf(this.self),
        );
      }
      return { name: o.name, vector: reconstructPair(1, s1, 2, s2) };
    });
    this.resultValue = { outputs, digest: resultDigest(this.sessionId, outputs) };
    this.phase = 'done';
  }

  /**
   * Encrypts a round's payload for one peer, a chunk at a time as the driver calls for them; each
   * is recorded as sent when sealed. Every plaintext leaves the party through here (a test
   * subclass records them to prove none crosses the relay in the clear).
   */
  protected seal(round: string, to: PartyIndex, payload: readonly Uint8Array[]): PendingEnvelope[] {
    const chunks = sealChunks(
      this.keys.get(`${this.self}->${to}`)!,
      { sessionId: this.sessionId, round, from: this.self, to },
      payload,
      this.chunkBytes,
      this.options.rng,
    );
    return chunks.map((sealNow) => () => {
      const e = sealNow();
      this.sent.push({ round, from: this.self, to, chunk: e.header.chunk, digest: e.digest });
      return e;
    });
  }

  private commitmentOf(from: PartyIndex, to: PartyIndex, bytes: readonly Uint8Array[]): string {
    return toHex(taggedHash(COMMIT_PURPOSE, utf8(this.sessionId), Uint8Array.of(from, to), bytes));
  }

  private bothPeers(round: string): boolean {
    return othersOf(this.self).every((p) => this.decoded.has(`${round}:${p}`));
  }

  /** A data round's payload, read once: dropped here so its vectors go with the program's use. */
  private take(slot: string): DecodedPayload {
    const p = this.decoded.get(slot);
    if (!p) throw new EngineError('wrong-phase', `no payload for ${slot}`);
    this.decoded.delete(slot);
    this.taken.add(slot);
    return p;
  }

  private expectPhase(phase: Phase): void {
    if (this.phase !== phase)
      throw new EngineError('wrong-phase', `expected phase ${phase}, session is ${this.phase}`);
  }
}
