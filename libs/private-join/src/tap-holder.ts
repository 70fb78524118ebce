import type { RandomSource } from '#concord/crypto';
import { randomExponent } from './group.js';
import type { JoinOutgoing } from './join-roles.js';
import { groupTask, type JoinTask, runTask } from './join-task.js';
import { encodeJoinMessage } from './messages.js';
import { blindReceivedList } from './blind-list.js';
import { PrivateJoinError } from './private-join-error.js';
import { permute, randomPermutation } from './shuffle.js';
import { checkTokenList } from './tokens.js';

/** The tap holder's state: its secret exponent b until it has blinded `enrolled-once`. */
export type TapHolderState =
  { readonly phase: 'awaiting-enrolled'; readonly exponent: bigint } | { readonly phase: 'done' };

export interface TapHolderStart {
  readonly state: TapHolderState;
  /**
   * The join order σ: position j of the indicator vector is the token at input index `order[j]`.
   * Secret to the tap holder (it is what keeps the matcher's match positions meaningless); the
   * tap holder shares its per-token vectors in this order (`alignToJoinOrder`).
   */
  readonly order: Uint32Array;
  readonly outgoing: readonly JoinOutgoing[];
}

export interface TapHolderStep {
  readonly state: TapHolderState;
  readonly outgoing: readonly JoinOutgoing[];
}

/** Step 2: draw the join order σ, hash and blind the tokens with a fresh b, send in σ order. */
export function beginTapHolder(
  taps: readonly string[],
  rng: RandomSource,
): JoinTask<TapHolderStart> {
  checkTokenList(taps, 'taps');
  const exponent = randomExponent(rng);
  const order = randomPermutation(taps.length, rng);
  return groupTask(
    taps.length,
    (first, n) => ({
      op: 'hash-and-blind',
      first,
      exponent,
      tokens: Array.from(order.subarray(first, first + n), (i) => taps[i]),
    }),
    (once) => ({
      state: { phase: 'awaiting-enrolled', exponent },
      order,
      outgoing: [
        {
          from: 'tap-holder',
          to: 'enrolment-holder',
          kind: 'taps-once',
          bytes: encodeJoinMessage('taps-once', once),
        },
      ],
    }),
  );
}

/** Step 3: raise `enrolled-once` to b, re-shuffle, send to the matcher; b is then dropped. */
export function tapHolderAnswer(
  state: TapHolderState,
  enrolledOnce: Uint8Array,
  rng: RandomSource,
): JoinTask<TapHolderStep> {
  if (state.phase !== 'awaiting-enrolled') {
    throw new PrivateJoinError('unexpected-message', 'the tap holder has already answered');
  }
  return blindReceivedList(enrolledOnce, 'enrolled-once', state.exponent, (twice) => ({
    state: { phase: 'done' },
    outgoing: [
      {
        from: 'tap-holder',
        to: 'matcher',
        kind: 'enrolled-twice',
        bytes: encodeJoinMessage(
          'enrolled-twice',
          permute(twice, randomPermutation(twice.length, rng)),
        ),
      },
    ],
  }));
}

/** `beginTapHolder` in one go. */
export const startTapHolder = (taps: readonly string[], rng: RandomSource): TapHolderStart =>
  runTask(beginTapHolder(taps, rng));

/** `tapHolderAnswer` in one go. */
export const tapHolderReceive = (
  state: TapHolderState,
  enrolledOnce: Uint8Array,
  rng: RandomSource,
): TapHolderStep => runTask(tapHolderAnswer(state, enrolledOnce, rng));

/** The tap holder's per-token values (indexed like its token list) rearranged into join order. */
export function alignToJoinOrder<T>(values: readonly T[], order: Uint32Array): T[] {
  return permute(values, order);
}
