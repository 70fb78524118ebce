import { type IdentitySigner, type RandomSource, sha256, toHex } from '#concord/crypto';
import {
  type PendingEnvelope,
  outputDecimals,
  PartySession,
  type SessionAcceptance,
  sealTranscript,
} from '#concord/engine';
import { vectorToBytes } from '#concord/field';
import type { SessionPlan } from '#concord/protocol';
import type { PartyNumber, TranscriptEntry } from '#concord/transcript';
import { envelopeSlot, parseEnvelopeRoute, ToNode } from '#concord/wire';
import type { SessionEvent } from './events.js';
import { REPORTER } from './session-config.js';

/** What a simulated node sends: a core event without its clock reading. */
export type NodeMessage = DistributiveOmit<Exclude<SessionEvent, { type: 'tick' }>, 'now'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * An agency node as the core sees it, in memory: the real party engine behind it, the node's
 * resend rules (an outbox of envelopes until the receiver acknowledges them; on `session.resume`
 * whatever the coordinator has not recorded), and repeats of coordinator messages treated as
 * no-ops. Test support for the core's specs, not the node itself.
 */
export class SimulatedNode {
  private session: PartySession | undefined;
  private acceptance: SessionAcceptance | undefined;
  private committed: { commitments: Record<string, string> } | undefined;
  private begun = false;
  private result: NodeMessage | undefined;
  private sealed: NodeMessage | undefined;
  private readonly outbox = new Map<string, Uint8Array>();
  /** Every session-phase message this node received, for assertions. */
  readonly received: string[] = [];
  ended: { outcome: 'completed' } | { outcome: 'aborted'; refund: boolean } | undefined;

  constructor(
    readonly party: PartyNumber,
    private readonly options: {
      readonly plan: SessionPlan;
      readonly identity: IdentitySigner;
      readonly pinned: ReadonlyMap<1 | 2 | 3, Uint8Array>;
      readonly inputs: ReadonlyMap<string, ArrayLike<number>>;
      readonly noise: readonly (readonly bigint[])[];
      readonly rng: RandomSource;
    },
  ) {}

  /** Report values as comma-separated decimals, as nodes before binary results did. */
  reportDecimals = false;

  /** Whether this node still holds the session in memory. */
  get holds(): boolean {
    return this.session !== undefined && this.ended === undefined;
  }

  /** A restart: everything in memory is gone. */
  forget(): void {
    this.session = undefined;
    this.acceptance = undefined;
    this.committed = undefined;
    this.begun = false;
    this.result = undefined;
    this.sealed = undefined;
    this.outbox.clear();
  }

  receive(event: string, payload: unknown): NodeMessage[] {
    const p = payload as Record<string, unknown>;
    this.received.push(event);
    switch (event) {
      case ToNode.sessionInvite:
        return this.onInvite();
      case ToNode.sessionKeys:
        return this.onKeys(p.acceptances as SessionAcceptance[]);
      case ToNode.sessionCommitments:
        return this.onGoAhead(
          p.commitments as {
            party: 1 | 2 | 3;
            sessionId: string;
            commitments: Record<string, string>;
          }[],
        );
      case ToNode.sessionEnvelopeAck:
        this.outbox.delete(envelopeSlot(p as never));
        return [];
      case ToNode.sessionSealRequest:
        return this.onSealRequest(p.entries as TranscriptEntry[]);
      case ToNode.sessionResume:
        return this.onResume(p.recorded as Record<string, boolean>);
      case ToNode.sessionAborted:
        this.ended = { outcome: 'aborted', refund: p.refund as boolean };
        return [];
      case ToNode.sessionCompleted:
        this.ended = { outcome: 'completed' };
        return [];
      default:
        return [];
    }
  }

  /** A relayed envelope: processed once (repeats only acknowledged again). */
  receiveEnvelope(bytes: Uint8Array): NodeMessage[] {
    if (!this.session) return [];
    const route = parseEnvelopeRoute(bytes);
    const out: NodeMessage[] = [this.ack(route, bytes)];
    // Once opened, a resent envelope is only acknowledged (the engine has moved past it).
    if (this.session.result) return out;
    const before = this.session.result;
    out.push(...this.envelopes(this.session.receiveEnvelope(bytes)));
    if (!before && this.session.result) out.push(...this.report());
    return out;
  }

  private onInvite(): NodeMessage[] {
    if (this.acceptance) return [this.acceptMessage()];
    if (this.session) return [];
    this.session = new PartySession({
      self: this.party,
      plan: this.options.plan,
      identity: this.options.identity,
      pinnedKeys: this.options.pinned,
      rng: this.options.rng,
      chunkBytes: 128,
    });
    this.acceptance = this.session.acceptance();
    return [this.acceptMessage()];
  }

  private onKeys(acceptances: SessionAcceptance[]): NodeMessage[] {
    if (!this.session || this.committed) return [];
    this.session.receiveAcceptances(acceptances);
    this.committed = this.session.commitNoise(this.options.noise);
    return [this.commitMessage()];
  }

  private onGoAhead(
    commitments: { party: 1 | 2 | 3; sessionId: string; commitments: Record<string, string> }[],
  ): NodeMessage[] {
    if (!this.session || this.begun || !this.committed) return [];
    this.begun = true;
    for (const c of commitments) if (c.party !== this.party) this.session.receiveCommitment(c);
    return this.envelopes(this.session.shareInputs(this.options.inputs));
  }

  private onSealRequest(entries: TranscriptEntry[]): NodeMessage[] {
    if (!this.session?.result) return [];
    if (!this.sealed) {
      const seal = sealTranscript(this.session, entries, this.options.identity);
      this.sealed = { type: 'seal', party: this.party, claimedParty: this.party, ...seal };
    }
    return [this.sealed];
  }

  private onResume(recorded: Record<string, boolean>): NodeMessage[] {
    const out: NodeMessage[] = [];
    if (!recorded.accepted && this.acceptance) out.push(this.acceptMessage());
    if (!recorded.committed && this.committed) out.push(this.commitMessage());
    for (const bytes of this.outbox.values()) out.push(this.envelopeMessage(bytes));
    if (!recorded.reported && this.result) out.push(this.result);
    if (!recorded.sealed && this.sealed) out.push(this.sealed);
    return out;
  }

  private report(): NodeMessage[] {
    const r = this.session!.result!;
    this.result = {
      type: 'result',
      party: this.party,
      claimedParty: this.party,
      digest: r.digest,
      ...(this.party === REPORTER
        ? {
            outputs: r.outputs.map((o) =>
              this.reportDecimals
                ? { name: o.name, values: outputDecimals(o) }
                : { name: o.name, limbs: vectorToBytes(o.vector) },
            ),
          }
        : {}),
    };
    return [this.result];
  }

  private envelopes(list: readonly PendingEnvelope[]): NodeMessage[] {
    return list.map((sealNow) => {
      const e = sealNow();
      this.outbox.set(envelopeSlot(e.header), e.bytes);
      return this.envelopeMessage(e.bytes);
    });
  }

  private envelopeMessage(bytes: Uint8Array): NodeMessage {
    return {
      type: 'envelope',
      party: this.party,
      route: parseEnvelopeRoute(bytes),
      bytes,
      digest: toHex(sha256(bytes)),
    };
  }

  private ack(route: ReturnType<typeof parseEnvelopeRoute>, bytes: Uint8Array): NodeMessage {
    return {
      type: 'envelope-ack',
      party: this.party,
      ack: {
        round: route.round,
        from: route.from,
        to: route.to,
        chunk: route.chunk,
        digest: toHex(sha256(bytes)),
      },
    };
  }

  private acceptMessage(): NodeMessage {
    return { type: 'accept', party: this.party, acceptance: this.acceptance! };
  }

  private commitMessage(): NodeMessage {
    return {
      type: 'commit',
      party: this.party,
      claimedParty: this.party,
      commitments: this.committed!.commitments,
    };
  }
}
