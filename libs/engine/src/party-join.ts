import type { RandomSource } from '#concord/crypto';
import {
  type EnrolmentHolderState,
  enrolmentHolderReceive,
  type JoinMessageKind,
  joinMessageKind,
  type JoinRole,
  matcherReceive,
  type MatcherState,
  PrivateJoinError,
  startEnrolmentHolder,
  startMatcher,
  startTapHolder,
  type TapHolderState,
  tapHolderReceive,
} from '#concord/private-join';
import type { PlanJoin, SessionPlan } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import { EngineError } from './engine-error.js';

/**
 * What a party brings to a join plan, by its role. The tap holder's `rows` are its per-card
 * inputs (those along the join axis) in the order of `tokens`: `tokens.length` rows of the
 * input's cells per card, row-major. The matcher brings nothing: its input is the match.
 */
export type JoinMaterial =
  | {
      readonly role: 'tap-holder';
      readonly tokens: readonly string[];
      readonly rows: ReadonlyMap<string, ArrayLike<number>>;
    }
  | { readonly role: 'enrolment-holder'; readonly tokens: readonly string[] }
  | { readonly role: 'matcher' };

/** A join message to send: the payload of one round to one peer (sealed by the session). */
export interface JoinSend {
  readonly round: 'join-1' | 'join-2';
  readonly to: PartyIndex;
  readonly payload: Uint8Array;
}

export interface JoinProgress {
  readonly sends: readonly JoinSend[];
  /**
   * Once this party's part of the join is done: its inputs along the join axis, in the join
   * order and padded to the axis capacity (the tap holder's rows, the matcher's indicator; none
   * for the enrolment holder). The session shares them with its other inputs.
   */
  readonly joined?: ReadonlyMap<string, ArrayLike<number>>;
}

/** The join payloads a role takes: (round, sender role, message kind). */
const EXPECTED: Readonly<
  Record<JoinRole, readonly (readonly [string, JoinRole, JoinMessageKind])[]>
> = {
  'tap-holder': [['join-1', 'enrolment-holder', 'enrolled-once']],
  'enrolment-holder': [['join-1', 'tap-holder', 'taps-once']],
  matcher: [
    ['join-2', 'tap-holder', 'enrolled-twice'],
    ['join-2', 'enrolment-holder', 'taps-twice'],
  ],
};

/**
 * One party's side of a plan's private join (libs/private-join), as session rounds:
 * `join-1` exchanges the single-blinded lists between the two holders, `join-2` carries the
 * double-blinded lists to the matcher. Sans I/O: the session seals what it returns.
 */
export class PartyJoin {
  readonly role: JoinRole;
  private readonly join: PlanJoin;
  private tapState: TapHolderState | undefined;
  private enrolmentState: EnrolmentHolderState | undefined;
  private matcherState: MatcherState | undefined;
  private tapRows: Map<string, Float64Array> | undefined;
  private readonly taken = new Set<string>();

  constructor(
    private readonly plan: SessionPlan,
    private readonly self: PartyIndex,
    private readonly rng: RandomSource,
  ) {
    if (!plan.join) throw new EngineError('wrong-phase', 'this plan has no private join');
    this.join = plan.join;
    this.role = roleOf(plan.join, self);
  }

  /** The party index of a role in this plan. */
  partyOf(role: JoinRole): PartyIndex {
    if (role === 'tap-holder') return this.join.tapHolder.party;
    if (role === 'enrolment-holder') return this.join.enrolmentHolder.party;
    return this.join.matcher.party;
  }

  /** The (round, sender) slots this party takes join payloads from. */
  expectedSlots(): string[] {
    return EXPECTED[this.role].map(([round, from]) => `${round}:${this.partyOf(from)}`);
  }

  start(material: JoinMaterial): JoinProgress {
    if (material.role !== this.role) {
      throw new EngineError(
        'wrong-phase',
        `this party is the join's ${this.role}, not its ${material.role}`,
      );
    }
    return guarded(undefined, () => {
      if (material.role === 'matcher') {
        this.matcherState = startMatcher();
        return { sends: [] };
      }
      if (material.tokens.length > this.join.capacity) {
        throw new EngineError(
          'join-capacity-exceeded',
          `${material.tokens.length} card tokens exceed the join's capacity of ${this.join.capacity}`,
        );
      }
      if (material.role === 'enrolment-holder') {
        const step = startEnrolmentHolder(material.tokens, this.rng);
        this.enrolmentState = step.state;
        return { sends: [this.send('join-1', 'tap-holder', step.outgoing[0].bytes)] };
      }
      const start = startTapHolder(material.tokens, this.rng);
      this.tapState = start.state;
      this.tapRows = this.alignRows(material.tokens.length, material.rows, start.order);
      return { sends: [this.send('join-1', 'enrolment-holder', start.outgoing[0].bytes)] };
    });
  }

  /** Takes one complete join payload from `from`; throws naming the sender when it is refused. */
  receive(round: string, from: PartyIndex, payload: Uint8Array): JoinProgress {
    const expected = EXPECTED[this.role].find(
      ([r, role]) => r === round && this.partyOf(role) === from,
    );
    const slot = `${round}:${from}`;
    if (!expected || this.taken.has(slot)) {
      throw new EngineError(
        'unexpected-message',
        `the ${this.role} takes no ${round} payload from party ${from}`,
        [from],
      );
    }
    this.taken.add(slot);
    return guarded(from, () => {
      const kind = joinMessageKind(payload);
      if (kind !== expected[2]) {
        throw new PrivateJoinError(
          'unexpected-message',
          `expected ${expected[2]} from party ${from}, got ${kind}`,
        );
      }
      switch (this.role) {
        case 'tap-holder': {
          const step = tapHolderReceive(this.require(this.tapState), payload, this.rng);
          this.tapState = step.state;
          return {
            sends: [this.send('join-2', 'matcher', step.outgoing[0].bytes)],
            joined: this.require(this.tapRows),
          };
        }
        case 'enrolment-holder': {
          const step = enrolmentHolderReceive(this.require(this.enrolmentState), payload);
          this.enrolmentState = step.state;
          return {
            sends: [this.send('join-2', 'matcher', step.outgoing[0].bytes)],
            joined: new Map(),
          };
        }
        case 'matcher': {
          const step = matcherReceive(this.require(this.matcherState), payload);
          this.matcherState = step.state;
          if (!step.match) return { sends: [] };
          const indicator = new Float64Array(this.join.capacity);
          indicator.set(step.match.indicators);
          return { sends: [], joined: new Map([[this.join.matcher.input, indicator]]) };
        }
      }
    });
  }

  /**
   * The tap holder's per-card inputs rearranged into the join order σ and padded with empty
   * rows to the capacity: row j of the result is the card at `order[j]`.
   */
  private alignRows(
    cards: number,
    rows: ReadonlyMap<string, ArrayLike<number>>,
    order: Uint32Array,
  ): Map<string, Float64Array> {
    const aligned = new Map<string, Float64Array>();
    for (const input of this.plan.inputs) {
      if (input.party !== this.self || input.axes[0] !== this.join.axis) continue;
      const width = input.length / this.join.capacity;
      const given = rows.get(input.name);
      if (!given || given.length !== cards * width) {
        throw new EngineError(
          'input-out-of-bounds',
          `per-card input ${input.name} must have ${cards} rows of ${width} cells`,
        );
      }
      const out = new Float64Array(input.length);
      for (let j = 0; j < cards; j++) {
        const from = order[j] * width;
        for (let c = 0; c < width; c++) out[j * width + c] = given[from + c];
      }
      aligned.set(input.name, out);
    }
    return aligned;
  }

  private send(round: JoinSend['round'], to: JoinRole, payload: Uint8Array): JoinSend {
    return { round, to: this.partyOf(to), payload };
  }

  private require<T>(state: T | undefined): T {
    if (state === undefined) throw new EngineError('wrong-phase', 'the join has not started');
    return state;
  }
}

function roleOf(join: PlanJoin, self: PartyIndex): JoinRole {
  if (join.tapHolder.party === self) return 'tap-holder';
  if (join.enrolmentHolder.party === self) return 'enrolment-holder';
  if (join.matcher.party === self) return 'matcher';
  throw new EngineError('wrong-phase', `party ${self} has no role in this plan's join`);
}

/** Runs a join step, turning a refused list into an engine error that names its sender. */
function guarded(from: PartyIndex | undefined, step: () => JoinProgress): JoinProgress {
  try {
    return step();
  } catch (e) {
    if (!(e instanceof PrivateJoinError)) throw e;
    throw new EngineError(
      'join-rejected',
      from === undefined
        ? `own join list refused: ${e.message}`
        : `party ${from}'s join list refused: ${e.message}`,
      from === undefined ? [] : [from],
    );
  }
}
