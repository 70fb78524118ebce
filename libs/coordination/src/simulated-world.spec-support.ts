import {
  generateIdentitySigner,
  type IdentitySigner,
  type RandomSource,
  seededRandom,
} from '#concord/crypto';
import {
  compileSessionPlan,
  planHash,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import { appendEntry, type PartyNumber, type TranscriptEntry } from '#concord/transcript';
import type {
  OutputRelease,
  PersistOp,
  SealRecord,
  SessionAction,
  SessionRowState,
} from './actions.js';
import type { SessionEvent } from './events.js';
import { DEFAULT_RULES, type SessionRules } from './session-config.js';
import { SessionCore } from './session-core.js';
import type { PartyDirectory, SessionRecord } from './session-state.js';
import { type NodeMessage, SimulatedNode } from './simulated-node.spec-support.js';

/** What the store of the simulated world holds: only what `persist` actions wrote. */
export interface SimulatedStore {
  rowState: SessionRowState;
  readonly entries: TranscriptEntry[];
  readonly seals: SealRecord[];
  release: readonly OutputRelease[] | undefined;
  refunds: number;
}

/** A message in flight, to the core or to a node. */
type Delivery =
  | { readonly to: 'core'; readonly message: NodeMessage }
  | {
      readonly to: 'node';
      readonly party: PartyNumber;
      readonly event: string;
      readonly payload: unknown;
    }
  | { readonly to: 'node-envelope'; readonly party: PartyNumber; readonly bytes: Uint8Array };

export const SESSION_ID = '00000000-0000-4000-8000-00000000c0de';
const T0 = 1_800_000_000_000;

/**
 * A whole session in memory: the real core, three simulated nodes running the real party engine,
 * a store that applies `persist` actions exactly as the adapter must (compare-and-set included),
 * and a network the test controls — deliver in order, shuffle, duplicate, drop, cut a party off,
 * crash the coordinator (losing every action not yet carried out) and restart it from the store.
 */
export class SimulatedWorld {
  core: SessionCore;
  readonly nodes: SimulatedNode[];
  readonly store: SimulatedStore;
  readonly record: SessionRecord;
  readonly parties: PartyDirectory;
  readonly network: Delivery[] = [];
  readonly identities: readonly IdentitySigner[];
  /** Every action the core returned, in order, for assertions. */
  readonly log: SessionAction[] = [];
  now = T0;
  /** Set to crash the coordinator right after it carried out this many actions (see `crashed`). */
  crashAt: number | undefined;
  /** The coordinator stopped mid-step at `crashAt`: nothing more is performed until a restart. */
  crashed = false;
  private readonly online = new Set<PartyNumber>();

  constructor(
    seed: string,
    readonly rules: SessionRules = DEFAULT_RULES,
    options: { readonly routes?: readonly string[] } = {},
  ) {
    const rng = seededRandom(`coordination-world/${seed}`);
    const identities = [1, 2, 3].map(() => generateIdentitySigner(rng));
    this.identities = identities;
    const plan = revenuePlan(options.routes ?? ['R1']);
    this.record = {
      id: SESSION_ID,
      plan,
      planHash: planHash(plan),
      requestId: 'world-request',
      requestedBy: 'world-analyst',
      startedAt: T0,
    };
    this.parties = new Map(
      identities.map((id, i) => [
        (i + 1) as PartyNumber,
        { agencyId: `agency-${i + 1}`, identityKey: id.publicKey },
      ]),
    );
    const pinned = new Map(identities.map((id, i) => [(i + 1) as 1 | 2 | 3, id.publicKey]));
    const cells = plan.outputs[0].length;
    const inputs: Map<string, number[]>[] = [
      new Map([['boardings', Array.from({ length: cells }, (_, i) => (i * 37) % 500)]]),
      new Map([['revenue', Array.from({ length: cells }, (_, i) => (i * 7919) % 100_000)]]),
      new Map<string, number[]>(),
    ];
    this.nodes = ([1, 2, 3] as const).map(
      (p) =>
        new SimulatedNode(p, {
          plan,
          identity: identities[p - 1],
          pinned,
          inputs: inputs[p - 1],
          noise: plan.outputs.map((o) =>
            Array.from({ length: o.length }, (_, i) => BigInt(((i * p) % 7) - 3)),
          ),
          rng: seededRandom(`coordination-world/${seed}/node/${p}`),
        }),
    );
    const genesis = appendEntry(
      SESSION_ID,
      undefined,
      'session.created',
      {
        protocol: plan.protocol,
        planHash: this.record.planHash,
        parameters: plan.parameters,
        budget: plan.budget,
        requestId: this.record.requestId,
        requestedBy: this.record.requestedBy,
        ledger: {
          scope: plan.privacyUnit.scope,
          window: plan.privacyUnit.window,
          rho: plan.budget.rho,
          xi: plan.budget.xi,
        },
      },
      new Date(T0),
    ) as TranscriptEntry;
    this.store = {
      rowState: 'created',
      entries: [genesis],
      seals: [],
      release: undefined,
      refunds: 0,
    };
    this.core = SessionCore.created(this.record, this.parties, rules, genesis, T0);
  }

  node(party: PartyNumber): SimulatedNode {
    return this.nodes[party - 1];
  }

  /** Feeds one event to the core and carries out what it returns. */
  handle(event: SessionEvent): SessionAction[] {
    if (this.crashed) return [];
    const actions = this.core.handle(event);
    for (const a of actions) {
      if (this.crashAt !== undefined && this.log.length >= this.crashAt) {
        this.crashed = true;
        break;
      }
      this.log.push(a);
      this.perform(a);
    }
    return actions;
  }

  connect(party: PartyNumber, engine: 'native' | 'jiff' = 'native'): void {
    this.online.add(party);
    this.handle({
      type: 'party-online',
      now: this.now,
      party,
      engine,
      holdsSession: this.node(party).holds,
    });
  }

  disconnect(party: PartyNumber): void {
    this.online.delete(party);
    this.handle({ type: 'party-lost', now: this.now, party });
  }

  connectAll(): void {
    for (const p of [1, 2, 3] as const) this.connect(p);
  }

  /** Delivers one message in flight (the first, or the one at `index`). */
  deliver(index = 0): void {
    const [d] = this.network.splice(index, 1);
    if (!d) return;
    if (d.to === 'core') {
      this.handle({ ...d.message, now: this.now });
      return;
    }
    if (!this.online.has(d.party)) return;
    const node = this.node(d.party);
    const replies =
      d.to === 'node-envelope' ? node.receiveEnvelope(d.bytes) : node.receive(d.event, d.payload);
    for (const message of replies) this.network.push({ to: 'core', message });
  }

  /** Delivers everything in order until nothing is in flight (or `limit` deliveries). */
  run(limit = 100_000): void {
    for (let i = 0; i < limit && this.network.length > 0 && !this.crashed; i++) this.deliver();
  }

  /** Moves the clock and ticks the core. */
  advance(ms: number): void {
    this.now += ms;
    this.handle({ type: 'tick', now: this.now });
  }

  /**
   * The coordinator dies: every message in flight to or from it is lost, and a new core is
   * rebuilt from the store alone; the nodes then reconnect (holding their sessions).
   */
  crashCoordinator(): SessionAction[] {
    this.network.length = 0;
    this.online.clear();
    this.crashed = false;
    this.crashAt = undefined;
    const { core, actions } = SessionCore.restored(
      this.record,
      this.parties,
      this.rules,
      { rowState: this.store.rowState, entries: this.store.entries, seals: this.store.seals },
      this.now,
    );
    this.core = core;
    this.log.push(...actions);
    for (const a of actions) this.perform(a);
    return actions;
  }

  private perform(action: SessionAction): void {
    switch (action.type) {
      case 'persist':
        return this.persist(action.ops);
      case 'send':
        this.network.push({
          to: 'node',
          party: action.party,
          event: action.event,
          payload: action.payload,
        });
        return;
      case 'relay':
        this.network.push({ to: 'node-envelope', party: action.party, bytes: action.bytes });
        return;
      case 'refuse':
      case 'register-jiff':
      case 'remove-jiff':
      case 'milestone':
      case 'log':
      case 'finished':
        return;
    }
  }

  private persist(ops: readonly PersistOp[]): void {
    for (const op of ops) {
      switch (op.op) {
        case 'append': {
          const head = this.store.entries.at(-1);
          if (op.entry.seq !== this.store.entries.length || op.entry.prevHash !== head?.hash)
            throw new Error(`append out of order at ${op.entry.seq}`);
          this.store.entries.push(op.entry);
          break;
        }
        case 'transition':
          if (op.from !== this.store.rowState)
            throw new Error(
              `compare-and-set failed: row is ${this.store.rowState}, not ${op.from}`,
            );
          this.store.rowState = op.to;
          break;
        case 'release':
          this.store.release = op.outputs;
          break;
        case 'seal':
          this.store.seals.push(op.seal);
          break;
        case 'refund':
          this.store.refunds++;
          break;
      }
    }
  }
}

const plans = new Map<string, SessionPlan>();

/** The revenue-per-boarding plan over `routes` (compiled once per route list: it is not cheap). */
function revenuePlan(routes: readonly string[]): SessionPlan {
  const key = routes.join(',');
  let plan = plans.get(key);
  if (!plan) {
    const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
    plan = compileSessionPlan(entry.analysis, {
      sessionId: SESSION_ID,
      parameters: { serviceDate: '2026-03-10' },
      axisValues: { route: [...routes] },
      budget: '1/2',
      parties: { transit: 1, payments: 2, planning: 3 },
    });
    plans.set(key, plan);
  }
  return plan;
}

/** A seeded shuffle source for property tests. */
export function pick(rng: RandomSource, n: number): number {
  const b = new Uint8Array(4);
  rng.fill(b);
  return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) % n;
}
