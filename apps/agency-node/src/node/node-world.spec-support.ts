import { genesisConsortium } from '#concord/consortium';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { generateIdentitySigner, seededRandom, sha256, toHex } from '#concord/crypto';
import {
  type PartyDirectory,
  type SessionAction,
  SessionCore,
  type SessionEvent,
  DEFAULT_RULES,
} from '#concord/coordination';
import { Rational } from '#concord/dp';
import { NativeSessionEngine, type SessionAcceptance } from '#concord/engine';
import {
  compileSessionPlan,
  planHash,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import { appendEntry, type PartyNumber, type TranscriptEntry } from '#concord/transcript';
import { FromNode, parseEnvelopeRoute, type SessionInviteDto, ToNode } from '#concord/wire';
import { decideInvitation } from './invitation-policy.js';
import { NodeLedger } from './node-ledger.js';
import { OwnKeyNotInForceError } from './own-key-error.js';
import { NodeSessions } from './node-sessions.js';
import { NoiseSupply } from './noise-supply.js';

const SESSION_ID = '00000000-0000-4000-8000-0000000a9e47';
const T0 = 1_800_000_000_000;

type Message = { readonly from: PartyNumber; readonly event: string; readonly payload: unknown };

/**
 * The real agency-node session logic (`NodeSessions`, its ledger files, the native engine) of
 * three agencies, driven by the real session core in memory in place of the coordinator's
 * process: what the node's transport and the coordinator's gateway do is reduced to routing
 * events by name. Test support for the node's specs.
 */
export class NodeWorld {
  core: SessionCore;
  readonly nodes: NodeSessions[];
  readonly ledgers: NodeLedger[];
  readonly toCore: Message[] = [];
  readonly toNodes: { party: PartyNumber; event: string; payload: unknown }[] = [];
  readonly refunds: number[] = [];
  readonly coordinatorLog: SessionAction[] = [];
  /** Parties whose connection is down: what is sent to or from them is lost. */
  readonly offline = new Set<PartyNumber>();
  /** Per party, a gate its input read waits on (released by the test). */
  readonly gates = new Map<PartyNumber, () => void>();
  private readonly gated = new Set<PartyNumber>();
  /** Lets a test change what a node receives (a malicious or broken relay). */
  rewrite: ((party: PartyNumber, event: string, payload: unknown) => unknown) | undefined;

  constructor(
    seed: string,
    options: {
      readonly gate?: readonly PartyNumber[];
      readonly capRho?: string;
      /** A party's own input reader (the real connectors, say) in place of fixed values. */
      readonly readInputs?: Partial<
        Record<PartyNumber, (plan: SessionPlan) => Promise<Map<string, Float64Array>>>
      >;
      /** Parties whose own key epoch lapses before their engine is made (a rotation took effect). */
      readonly keyLapsed?: readonly PartyNumber[];
      /** The engines' chunk size (bytes), to make rounds many envelopes. */
      readonly chunkBytes?: number;
      /** The nodes' window of unacknowledged envelope bytes. */
      readonly sendWindowBytes?: number;
    } = {},
  ) {
    for (const p of options.gate ?? []) this.gated.add(p);
    const rng = seededRandom(`node-world/${seed}`);
    const identities = [1, 2, 3].map(() => generateIdentitySigner(rng));
    const catalogue = readCatalogueDirectory('protocols');
    const entry = catalogue.find('revenue-per-boarding')!;
    const parties = { transit: 1, payments: 2, planning: 3 } as const;
    const plan = compileSessionPlan(entry.analysis, {
      sessionId: SESSION_ID,
      parameters: { serviceDate: '2026-03-10' },
      axisValues: { route: ['R1'] },
      budget: '1/2',
      parties,
    });
    const consortium = genesisConsortium(
      'test',
      (['transit', 'payments', 'planning'] as const).map((role, i) => ({
        id: `agency-${i + 1}`,
        name: `Agency ${i + 1}`,
        role,
        party: (i + 1) as 1 | 2 | 3,
        identityKey: identities[i].publicKey,
      })),
    );
    const directory: PartyDirectory = new Map(
      consortium.agencies.map((a) => [a.party, { agencyId: a.id, identityKey: a.identityKey }]),
    );
    const pinnedKeys = new Map(consortium.agencies.map((a) => [a.party, a.identityKey]));
    const dir = mkdtempSync(join(tmpdir(), 'concord-node-world-'));
    const cells = plan.outputs[0].length;
    const inputs: Map<string, Float64Array>[] = [
      new Map([['boardings', Float64Array.from({ length: cells }, (_, i) => (i * 7) % 50)]]),
      new Map([['revenue', Float64Array.from({ length: cells }, (_, i) => (i * 1231) % 40_000)]]),
      new Map<string, Float64Array>(),
    ];
    this.ledgers = ([1, 2, 3] as const).map(
      (p) => new NodeLedger(join(dir, `ledger-${p}.jsonl`), Rational.parse(options.capRho ?? '4')),
    );
    this.nodes = ([1, 2, 3] as const).map(
      (party) =>
        new NodeSessions({
          self: party,
          engine: 'native',
          identity: identities[party - 1],
          ledger: this.ledgers[party - 1],
          noise: new NoiseSupply(seededRandom(`node-world/${seed}/noise/${party}`)),
          logger: pino({ level: 'silent' }),
          decide: (invite) =>
            decideInvitation(invite, {
              engine: 'native',
              approvedProtocols: [entry.hash],
              catalogue,
              consortium,
            }),
          readInputs: async (p) => {
            if (this.gated.has(party))
              await new Promise<void>((resolve) => this.gates.set(party, resolve));
            const own = options.readInputs?.[party];
            return own ? own(p) : inputs[party - 1];
          },
          createEngine: (p) => {
            if (options.keyLapsed?.includes(party)) throw new OwnKeyNotInForceError(0);
            return new NativeSessionEngine({
              self: party,
              plan: p,
              identity: identities[party - 1],
              pinnedKeys,
              rng: seededRandom(`node-world/${seed}/engine/${party}`),
              ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
            });
          },
          send: (event, payload) => {
            if (!this.offline.has(party)) this.toCore.push({ from: party, event, payload });
          },
          sessionTimeoutMs: 600_000,
          now: () => T0,
          ...(options.sendWindowBytes === undefined
            ? {}
            : { sendWindowBytes: options.sendWindowBytes }),
        }),
    );
    const genesis = appendEntry(
      SESSION_ID,
      undefined,
      'session.created',
      {
        protocol: plan.protocol,
        planHash: planHash(plan),
        parameters: plan.parameters,
        budget: plan.budget,
        requestId: 'node-world',
        requestedBy: 'analyst',
        ledger: {
          scope: plan.privacyUnit.scope,
          window: plan.privacyUnit.window,
          rho: plan.budget.rho,
          xi: plan.budget.xi,
        },
      },
      new Date(T0),
    ) as TranscriptEntry;
    this.core = SessionCore.created(
      {
        id: SESSION_ID,
        plan,
        planHash: planHash(plan),
        requestId: 'node-world',
        requestedBy: 'analyst',
        startedAt: T0,
      },
      directory,
      DEFAULT_RULES,
      genesis,
      T0,
    );
  }

  get sessionId(): string {
    return SESSION_ID;
  }

  /** A tick `ms` after the session's creation (deadlines and grace periods pass). */
  tickAfter(ms: number): void {
    this.handle({ type: 'tick' }, T0 + ms);
  }

  /** Feeds the core and routes what it sends to the nodes (refunds recorded as they would be). */
  handle(event: DistributiveOmit<SessionEvent, 'now'>, now = T0): void {
    const actions = this.core.handle({ ...event, now });
    this.coordinatorLog.push(...actions);
    for (const a of actions) {
      if (a.type === 'persist' && a.ops.some((o) => o.op === 'refund')) this.refunds.push(1);
      if (a.type === 'send' && !this.offline.has(a.party))
        this.toNodes.push({ party: a.party, event: a.event, payload: a.payload });
      if (a.type === 'relay' && !this.offline.has(a.party))
        this.toNodes.push({ party: a.party, event: ToNode.sessionEnvelope, payload: a.bytes });
    }
  }

  connectAll(): void {
    for (const p of [1, 2, 3] as const)
      this.handle({
        type: 'party-online',
        party: p,
        engine: 'native',
        holdsSession: this.nodes[p - 1].held().includes(SESSION_ID),
      });
  }

  /**
   * Delivers every message both ways until nothing moves. A node's invitation runs in the
   * background (its input read may wait on a gate), as the real transport lets it.
   */
  async run(): Promise<void> {
    for (let idle = 0; idle < 3;) {
      const m = this.toCore.shift();
      if (m) {
        idle = 0;
        this.deliverToCore(m);
        continue;
      }
      const n = this.toNodes.shift();
      if (n) {
        idle = 0;
        this.deliverToNode(n.party, n.event, n.payload);
        continue;
      }
      idle++;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** What the coordinator's gateway does for a session this process no longer runs. */
  private deliverToCore(m: Message): void {
    const p = m.payload as Record<string, unknown>;
    const party = m.from;
    if (this.core.view.final && m.event !== FromNode.sessionEnvelope) {
      // The runtime answers a party about an ended session with its outcome.
      this.handle({ type: 'party-online', party, engine: 'native', holdsSession: true });
      return;
    }
    switch (m.event) {
      case FromNode.sessionAccept:
        return this.handle({
          type: 'accept',
          party,
          acceptance: p.acceptance as SessionAcceptance,
        });
      case FromNode.sessionDecline:
        return this.handle({
          type: 'decline',
          party,
          code: p.code as string,
          message: p.message as string,
        });
      case FromNode.sessionCommit:
        return this.handle({
          type: 'commit',
          party,
          claimedParty: p.party as number,
          commitments: p.commitments as Record<string, string>,
        });
      case FromNode.sessionEnvelope: {
        const bytes = m.payload as Uint8Array;
        return this.handle({
          type: 'envelope',
          party,
          route: parseEnvelopeRoute(bytes),
          bytes,
          digest: toHex(sha256(bytes)),
        });
      }
      case FromNode.sessionEnvelopeAck:
        return this.handle({ type: 'envelope-ack', party, ack: p as never });
      case FromNode.sessionResult:
        return this.handle({
          type: 'result',
          party,
          claimedParty: p.party as number,
          digest: p.resultDigest as string,
          ...(p.outputs ? { outputs: p.outputs as never } : {}),
        });
      case FromNode.sessionSeal:
        return this.handle({
          type: 'seal',
          party,
          claimedParty: p.party as number,
          headHash: p.headHash as string,
          signature: p.signature as string,
        });
      case FromNode.sessionAbort:
        return this.handle({
          type: 'abort-report',
          party,
          code: p.code as string,
          message: p.message as string,
          suspects: p.suspects as number[],
        });
    }
  }

  /** What the node's transport does: route by event name. */
  private deliverToNode(party: PartyNumber, event: string, original: unknown): void {
    const node = this.nodes[party - 1];
    const payload = this.rewrite ? this.rewrite(party, event, original) : original;
    const p = payload as Record<string, never>;
    switch (event) {
      case ToNode.sessionInvite:
        void node.onInvite(payload as SessionInviteDto);
        return;
      case ToNode.sessionKeys:
        return node.onKeys(p.sessionId, p.acceptances);
      case ToNode.sessionCommitments:
        return node.onGoAhead(p.sessionId, p.commitments);
      case ToNode.sessionEnvelope:
        return node.onEnvelope(payload as Uint8Array);
      case ToNode.sessionEnvelopeAck:
        return node.onEnvelopeAck(payload as never);
      case ToNode.sessionSealRequest:
        return node.onSealRequest(p.sessionId, p.entries);
      case ToNode.sessionResume:
        return node.onResume(p.sessionId, p.recorded);
      case ToNode.sessionAborted:
        return node.onEnded(p.sessionId, { kind: 'aborted', coordinatorRefunds: p.refund });
      case ToNode.sessionCompleted:
        return node.onEnded(p.sessionId, { kind: 'completed' });
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
