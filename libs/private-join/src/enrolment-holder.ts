import type { RandomSource } from '#concord/crypto';
import { randomExponent } from './group.js';
import type { JoinOutgoing } from './join-roles.js';
import { groupTask, type JoinTask, runTask } from './join-task.js';
import { encodeJoinMessage } from './messages.js';
import { blindReceivedList } from './blind-list.js';
import { PrivateJoinError } from './private-join-error.js';
import { permute, randomPermutation } from './shuffle.js';
import { checkTokenList } from './tokens.js';

/** The enrolment holder's state: its secret exponent a until it has blinded `taps-once`. */
export type EnrolmentHolderState =
  { readonly phase: 'awaiting-taps'; readonly exponent: bigint } | { readonly phase: 'done' };

export interface EnrolmentHolderStep {
  readonly state: EnrolmentHolderState;
  readonly outgoing: readonly JoinOutgoing[];
}

/** Step 1: hash the enrolled tokens, blind them with a fresh a, shuffle, send to the tap holder. */
export function beginEnrolmentHolder(
  enrolled: readonly string[],
  rng: RandomSource,
): JoinTask<EnrolmentHolderStep> {
  checkTokenList(enrolled, 'enrolled');
  const exponent = randomExponent(rng);
  return groupTask(
    enrolled.length,
    (first, n) => ({
      op: 'hash-and-blind',
      first,
      exponent,
      tokens: enrolled.slice(first, first + n),
    }),
    (blinded) => ({
      state: { phase: 'awaiting-taps', exponent },
      outgoing: [
        {
          from: 'enrolment-holder',
          to: 'tap-holder',
          kind: 'enrolled-once',
          bytes: encodeJoinMessage(
            'enrolled-once',
            permute(blinded, randomPermutation(blinded.length, rng)),
          ),
        },
      ],
    }),
  );
}

/**
 * Step 4: raise `taps-once` to a in place — never reordered, so the matcher's indicators stay in
 * the tap holder's join order — and send it to the matcher. The exponent is then dropped.
 */
export function enrolmentHolderAnswer(
  state: EnrolmentHolderState,
  tapsOnce: Uint8Array,
): JoinTask<EnrolmentHolderStep> {
  if (state.phase !== 'awaiting-taps') {
    throw new PrivateJoinError('unexpected-message', 'the enrolment holder has already answered');
  }
  return blindReceivedList(tapsOnce, 'taps-once', state.exponent, (twice) => ({
    state: { phase: 'done' },
    outgoing: [
      {
        from: 'enrolment-holder',
        to: 'matcher',
        kind: 'taps-twice',
        bytes: encodeJoinMessage('taps-twice', twice),
      },
    ],
  }));
}

/** `beginEnrolmentHolder` in one go. */
export const startEnrolmentHolder = (
  enrolled: readonly string[],
  rng: RandomSource,
): EnrolmentHolderStep => runTask(beginEnrolmentHolder(enrolled, rng));

/** `enrolmentHolderAnswer` in one go. */
export const enrolmentHolderReceive = (
  state: EnrolmentHolderState,
  tapsOnce: Uint8Array,
): EnrolmentHolderStep => runTask(enrolmentHolderAnswer(state, tapsOnce));
