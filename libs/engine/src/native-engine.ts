import type { IdentitySigner } from '#concord/crypto';
import {
  batchFailure,
  computeGroupBatch,
  type GroupBatch,
  type GroupBatchFailure,
  type GroupWorkers,
} from '#concord/private-join';
import type { PartyIndex } from '#concord/sharing';
import type { TranscriptEntry } from '#concord/transcript';
import type { SessionAcceptance } from './acceptance.js';
import { EngineError } from './engine-error.js';
import type { JoinMaterial } from './party-join.js';
import type { OutboundEnvelope, PendingEnvelope } from './envelope-chunks.js';
import { type NoiseCommitment, PartySession, type PartySessionOptions } from './party-session.js';
import type { EngineOutput, SessionEngine } from './session-engine.js';
import type { SessionResult } from './session-result.js';
import { sealTranscript, type TranscriptSeal } from './transcript-check.js';

/**
 * Group operations per batch a worker computes: about 25–50 ms of blinding, long enough that
 * posting a batch costs nothing beside it, short enough that the last batch of a pass does not
 * leave the other threads idle for long.
 */
export const DEFAULT_WORKER_BATCH = 256;

/**
 * The native engine behind the node's one interface: `PartySession` (Concord's own rounds through
 * the coordinator's relay), made safe to drive again after a reconnection — a repeated acceptance
 * list, commitment or go-ahead is a no-op, and an envelope that arrives again after the result was
 * opened is ignored (its sender only missed the acknowledgement).
 */
export class NativeSessionEngine implements SessionEngine {
  readonly kind = 'native';
  private readonly party: PartySession;
  private keyed = false;
  private commitment: NoiseCommitment | undefined;
  private begun = false;
  private reported = false;
  private pumping = false;
  private stopped = false;

  private inFlight = 0;
  /** The step whose envelopes are being sealed and sent, and the next one to seal. */
  private sending: { readonly envelopes: readonly PendingEnvelope[]; next: number } | undefined;
  /** Sending waits for the transport to have room (`resume`). */
  private paused = false;
  /** A `runReadySteps` is among the waiting steps (envelopes taken in while sending made it). */
  private readyStepsWaiting = false;
  /** Steps that arrived while another step's envelopes were still going out, in order. */
  private readonly waiting: (() => readonly PendingEnvelope[])[] = [];

  /**
   * With `slices`, a join plan's group operations (about 0.1 ms each) run `slices.operations`
   * at a time, each slice through `slices.later` (the node passes `setImmediate`), so the node's
   * socket and other sessions are served in between. With `slices.workers` too, the holders'
   * hash-and-blind and blind passes go to those threads in batches of `slices.workerBatch`
   * instead (every core then works on one pass); the rest (the matcher's decoding) stays in
   * slices here.
   */
  constructor(
    options: PartySessionOptions,
    create?: (o: PartySessionOptions) => PartySession,
    private readonly slices?: {
      readonly later: (run: () => void) => void;
      readonly operations: number;
      readonly workers?: GroupWorkers;
      /** Group operations per batch handed to a worker (default `DEFAULT_WORKER_BATCH`). */
      readonly workerBatch?: number;
    },
  ) {
    const full = slices ? { ...options, joinSlices: true } : options;
    this.party = create ? create(full) : new PartySession(full);
  }

  get sessionId(): string {
    return this.party.sessionId;
  }

  get self(): PartyIndex {
    return this.party.self;
  }

  get result(): SessionResult | undefined {
    return this.party.result;
  }

  acceptance(): SessionAcceptance {
    return this.party.acceptance();
  }

  receiveAcceptances(list: readonly SessionAcceptance[]): void {
    if (this.keyed) return;
    this.party.receiveAcceptances(list);
    this.keyed = true;
  }

  commitNoise(noise: readonly ArrayLike<number>[]): NoiseCommitment {
    this.commitment ??= this.party.commitNoise(noise);
    return this.commitment;
  }

  receiveCommitment(commitment: NoiseCommitment): void {
    if (
      this.party.receivedCommitments.get(commitment.party) ===
      commitment.commitments[String(this.self)]
    )
      return;
    this.party.receiveCommitment(commitment);
  }

  begin(
    inputs: ReadonlyMap<string, ArrayLike<number>>,
    out: EngineOutput,
    join?: JoinMaterial,
  ): void {
    if (this.begun) return;
    this.begun = true;
    this.emit(
      () =>
        this.party.plan.join
          ? this.party.startJoin(join ?? missingJoin(), inputs)
          : this.party.shareInputs(inputs),
      out,
    );
  }

  receiveEnvelope(bytes: Uint8Array, out: EngineOutput, digest?: string): void {
    if (this.party.result) return;
    if (!this.sending) {
      this.emit(() => this.party.receiveEnvelope(bytes, digest), out);
      return;
    }
    // A step is still sending: the envelope is taken in now (so none waits holding its bytes,
    // whatever a peer sends meanwhile) and the steps it makes ready run once that step is sent.
    let ready: boolean;
    try {
      ready = this.party.takeEnvelope(bytes, digest);
    } catch (e) {
      this.failUnlessRepeat(e, out);
      return;
    }
    if (!ready || this.readyStepsWaiting) return;
    this.readyStepsWaiting = true;
    this.waiting.push(() => {
      this.readyStepsWaiting = false;
      return this.party.runReadySteps();
    });
  }

  resume(out: EngineOutput): void {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.send(out);
  }

  seal(entries: readonly TranscriptEntry[], identity: IdentitySigner): TranscriptSeal {
    return sealTranscript(this.party, entries, identity);
  }

  stop(): void {
    // A scheduled join slice finds the engine stopped and does nothing; the session's secrets go
    // with this object.
    this.stopped = true;
  }

  /** Schedules the next slice of join work, if any is waiting and none is scheduled. */
  private pump(out: EngineOutput): void {
    if (!this.slices || this.pumping || this.stopped || !this.party.joinWorkPending) return;
    if (this.slices.workers && this.offload(this.slices.workers, out)) return;
    this.pumping = true;
    const { later, operations } = this.slices;
    later(() => {
      this.pumping = false;
      if (this.stopped) return;
      this.emit(() => this.party.workJoin(operations), out);
    });
  }

  /**
   * Keeps up to `workers.parallelism` batches of the current join step computing on the workers;
   * false when the step hands out nothing and none is in flight (slices here do the rest). A
   * batch whose thread failed is computed here instead, so a dead worker never stalls a session.
   */
  private offload(workers: GroupWorkers, out: EngineOutput): boolean {
    while (this.inFlight < workers.parallelism) {
      let batch: GroupBatch | undefined;
      try {
        batch = this.party.claimJoinWork(this.slices!.workerBatch ?? DEFAULT_WORKER_BATCH);
      } catch (e) {
        out.failed(e);
        return true;
      }
      if (!batch) break;
      const claimed = batch;
      this.inFlight++;
      const complete = (outcome: Uint8Array | GroupBatchFailure): void => {
        this.inFlight--;
        if (this.stopped) return;
        this.emit(() => this.party.completeJoinWork(claimed, outcome), out);
      };
      workers
        .compute(claimed)
        .then(complete, () => complete(computeHere(claimed)))
        .catch((e: unknown) => out.failed(e));
    }
    return this.inFlight > 0;
  }

  /**
   * Runs a step, seals and sends what it produced, then reports the result once it exists;
   * failures go to `out`. Each envelope is sealed only when the transport has room for it
   * (`out.hasRoom`): when it has none, sending pauses until `resume`, so a node holds a bounded
   * number of sealed chunks however large a round is. Steps that arrive meanwhile (a join slice,
   * what a peer's envelope made ready) wait in order behind the paused one, so a session's steps
   * run one after another; a peer's envelope itself is taken in at once (`receiveEnvelope`).
   */
  private emit(step: () => readonly PendingEnvelope[], out: EngineOutput): void {
    if (this.sending) {
      this.waiting.push(step);
      return;
    }
    let envelopes: readonly PendingEnvelope[];
    try {
      envelopes = step();
    } catch (e) {
      this.failUnlessRepeat(e, out);
      this.runWaiting(out);
      return;
    }
    this.sending = { envelopes, next: 0 };
    this.send(out);
  }

  /** Sends the current step's envelopes while the transport has room; the rest wait for `resume`. */
  private send(out: EngineOutput): void {
    const sending = this.sending!;
    while (sending.next < sending.envelopes.length) {
      if (this.stopped) {
        this.sending = undefined;
        this.waiting.length = 0;
        return;
      }
      if (!out.hasRoom()) {
        this.paused = true;
        return;
      }
      let envelope: OutboundEnvelope;
      try {
        envelope = sending.envelopes[sending.next++]();
      } catch (e) {
        this.sending = undefined;
        out.failed(e);
        this.runWaiting(out);
        return;
      }
      out.send(envelope);
    }
    this.sending = undefined;
    if (this.party.result && !this.reported) {
      this.reported = true;
      out.finished(this.party.result);
    }
    this.pump(out);
    this.runWaiting(out);
  }

  /** A repeated message the session has moved past is not a failure of the session. */
  private failUnlessRepeat(e: unknown, out: EngineOutput): void {
    if (!(e instanceof EngineError && e.code === 'wrong-phase' && this.party.result)) out.failed(e);
  }

  private runWaiting(out: EngineOutput): void {
    const step = this.waiting.shift();
    if (step) this.emit(step, out);
  }
}

/** A batch computed on this thread (its worker failed), with a refusal as the worker reports it. */
function computeHere(batch: GroupBatch): Uint8Array | GroupBatchFailure {
  try {
    return computeGroupBatch(batch);
  } catch (e) {
    return batchFailure(e);
  }
}

function missingJoin(): never {
  throw new EngineError('wrong-phase', "a join plan needs this party's join material");
}
