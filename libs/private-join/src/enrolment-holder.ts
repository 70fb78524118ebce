import type { RandomSource } from '#concord/crypto';
import { blind, randomExponent } from './group.js';
import type { JoinOutgoing } from './join-roles.js';
import { encodeJoinMessage, parseJoinMessage } from './messages.js';
import { PrivateJoinError } from './private-join-error.js';
import { permute, randomPermutation } from './shuffle.js';
import { hashTokenList } from './tokens.js';

/** The enrolment holder's state: its secret exponent a until it has blinded `taps-once`. */
export type EnrolmentHolderState =
  { readonly phase: 'awaiting-taps'; readonly exponent: bigint } | { readonly phase: 'done' };

export interface EnrolmentHolderStep {
  readonly state: EnrolmentHolderState;
  readonly outgoing: readonly JoinOutgoing[];
}

/** Step 1: hash the enrolled tokens, blind them with a fresh a, shuffle, send to the tap holder. */
export function startEnrolmentHolder(
  enrolled: readonly string[],
  rng: RandomSource,
): EnrolmentHolderStep {
  const exponent = randomExponent(rng);
  const blinded = hashTokenList(enrolled, 'enrolled').map((h) => blind(h, exponent));
  const shuffled = permute(blinded, randomPermutation(blinded.length, rng));
  return {
    state: { phase: 'awaiting-taps', exponent },
    outgoing: [
      {
        from: 'enrolment-holder',
        to: 'tap-holder',
        kind: 'enrolled-once',
        bytes: encodeJoinMessage('enrolled-once', shuffled),
      },
    ],
  };
}

/**
 * Step 4: raise `taps-once` to a in place — never reordered, so the matcher's indicators stay in
 * the tap holder's join order — and send it to the matcher. The exponent is then dropped.
 */
export function enrolmentHolderReceive(
  state: EnrolmentHolderState,
  tapsOnce: Uint8Array,
): EnrolmentHolderStep {
  if (state.phase !== 'awaiting-taps') {
    throw new PrivateJoinError('unexpected-message', 'the enrolment holder has already answered');
  }
  const { elements } = parseJoinMessage(tapsOnce, 'taps-once');
  const twice = elements.map((p) => blind(p, state.exponent));
  return {
    state: { phase: 'done' },
    outgoing: [
      {
        from: 'enrolment-holder',
        to: 'matcher',
        kind: 'taps-twice',
        bytes: encodeJoinMessage('taps-twice', twice),
      },
    ],
  };
}
