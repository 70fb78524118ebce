import type { RandomSource } from '#concord/crypto';
import {
  beginEnrolmentHolder,
  beginTapHolder,
  checkTokenList,
  enrolmentHolderAnswer,
  type EnrolmentHolderState,
  type JoinMessageKind,
  joinMessageKind,
  type JoinRole,
  type JoinTask,
  listTask,
  matcherTake,
  type MatcherState,
  paddedListSize,
  padTokenList,
  PrivateJoinError,
  startMatcher,
  tapHolderAnswer,
  type TapHolderState,
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

  /** This party's first join step (the holders blind their own list: one task element per token). */
  start(material: JoinMaterial): JoinTask<JoinProgress> {
    if (material.role !== this.role) {
      throw new EngineError(
        'wrong-phase',
        `this party is the join's ${this.role}, not its ${material.role}`,
      );
    }
    return guarded<JoinProgress>(undefined, () => {
      if (material.role === 'matcher') {
        this.matcherState = startMatcher();
        return listTask(
          0,
          () => undefined,
          () => ({ sends: [] }),
        );
      }
      if (material.tokens.length > this.join.capacity) {
        throw new EngineError(
          'join-capacity-exceeded',
          `${material.tokens.length} card tokens exceed the join's capacity of ${this.join.capacity}`,
        );
      }
      checkTokenList(material.tokens, material.role === 'tap-holder' ? 'taps' : 'enrolled');
      // Both lists are padded with dummies to a power of two: their lengths reach the other
      // holder, the matcher and the coordinator only to within a factor of two.
      const listed = padTokenList(
        material.tokens,
        paddedListSize(material.tokens.length, this.join.capacity),
        this.rng,
      );
      if (material.role === 'enrolment-holder') {
        return then(beginEnrolmentHolder(listed, this.rng), (step) => {
          this.enrolmentState = step.state;
          return { sends: [this.send('join-1', 'tap-holder', step.outgoing[0].bytes)] };
        });
      }
      const rows = material.rows;
      const cards = material.tokens.length;
      return then(beginTapHolder(listed, this.rng), (start) => {
        this.tapState = start.state;
        this.tapRows = this.alignRows(cards, rows, start.order);
        return { sends: [this.send('join-1', 'enrolment-holder', start.outgoing[0].bytes)] };
      });
    });
  }

  /**
   * Takes one complete join payload from `from` (one task element per list element); throws, or
   * fails a step, naming the sender when it is refused.
   */
  receive(round: string, from: PartyIndex, payload: Uint8Array): JoinTask<JoinProgress> {
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
    return guarded<JoinProgress>(from, () => {
      const kind = joinMessageKind(payload);
      if (kind !== expected[2]) {
        throw new PrivateJoinError(
          'unexpected-message',
          `expected ${expected[2]} from party ${from}, got ${kind}`,
        );
      }
      switch (this.role) {
        case 'tap-holder':
          return then(tapHolderAnswer(this.require(this.tapState), payload, this.rng), (step) => {
            this.tapState = step.state;
            return {
              sends: [this.send('join-2', 'matcher', step.outgoing[0].bytes)],
              joined: this.require(this.tapRows),
            };
          });
        case 'enrolment-holder':
          return then(enrolmentHolderAnswer(this.require(this.enrolmentState), payload), (step) => {
            this.enrolmentState = step.state;
            return {
              sends: [this.send('join-2', 'matcher', step.outgoing[0].bytes)],
              joined: new Map(),
            };
          });
        case 'matcher':
          return then(matcherTake(this.require(this.matcherState), payload), (step) => {
            this.matcherState = step.state;
            if (!step.match) return { sends: [] };
            const indicator = new Float64Array(this.join.capacity);
            indicator.set(step.match.indicators);
            return { sends: [], joined: new Map([[this.join.matcher.input, indicator]]) };
          });
      }
    });
  }

  /**
   * The tap holder's per-card inputs rearranged into the join order σ and padded with empty
   * rows to the capacity: row j of the result is the card at `order[j]`, empty where that is a
   * dummy (an index past the real cards) or past the padded list.
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
      for (let j = 0; j < order.length; j++) {
        if (order[j] >= cards) continue;
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

/** A task whose outcome is mapped once (the role's state is updated when the step completes). */
function then<A, B>(task: JoinTask<A>, map: (a: A) => B): JoinTask<B> {
  let mapped: { value: B } | undefined;
  return {
    size: task.size,
    get done() {
      return task.done;
    },
    step: (n) => task.step(n),
    claim: (n) => task.claim(n),
    fill: (batch, outcome) => task.fill(batch, outcome),
    result() {
      mapped ??= { value: map(task.result()) };
      return mapped.value;
    },
  };
}

/**
 * A join step, building and running it, with a refused list (a `PrivateJoinError`, thrown when
 * the step is built or while its elements are decoded, here or on a worker thread) turned into an engine error naming its
 * sender.
 */
function guarded<T>(from: PartyIndex | undefined, build: () => JoinTask<T>): JoinTask<T> {
  const refused = (e: unknown): never => {
    if (!(e instanceof PrivateJoinError)) throw e;
    throw new EngineError(
      'join-rejected',
      from === undefined
        ? `own join list refused: ${e.message}`
        : `party ${from}'s join list refused: ${e.message}`,
      from === undefined ? [] : [from],
    );
  };
  let task: JoinTask<T>;
  try {
    task = build();
  } catch (e) {
    return refused(e);
  }
  return {
    size: task.size,
    get done() {
      return task.done;
    },
    step(n) {
      try {
        return task.step(n);
      } catch (e) {
        return refused(e);
      }
    },
    claim: (n) => task.claim(n),
    fill(batch, outcome) {
      try {
        task.fill(batch, outcome);
      } catch (e) {
        refused(e);
      }
    },
    result() {
      try {
        return task.result();
      } catch (e) {
        return refused(e);
      }
    },
  };
}
