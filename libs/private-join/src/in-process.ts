import type { RandomSource } from '#concord/crypto';
import { enrolmentHolderReceive, startEnrolmentHolder } from './enrolment-holder.js';
import type { JoinOutgoing } from './join-roles.js';
import { type JoinMatch, matcherReceive, startMatcher } from './matcher.js';
import { startTapHolder, tapHolderReceive } from './tap-holder.js';

/** Everything an in-process run produced: every message as sent, the join order, the match. */
export interface InProcessJoin {
  readonly messages: readonly JoinOutgoing[];
  readonly order: Uint32Array;
  readonly match: JoinMatch;
}

/**
 * Drives the three roles in one process, delivering each message to its addressee — for tests
 * and the benchmark (a deployment runs each role in its own node). Each role gets its own
 * random source, as it would in its own process.
 */
export function runJoinInProcess(
  enrolled: readonly string[],
  taps: readonly string[],
  rngs: { readonly enrolmentHolder: RandomSource; readonly tapHolder: RandomSource },
): InProcessJoin {
  const messages: JoinOutgoing[] = [];
  const holderE = startEnrolmentHolder(enrolled, rngs.enrolmentHolder);
  const holderT = startTapHolder(taps, rngs.tapHolder);
  messages.push(...holderE.outgoing, ...holderT.outgoing);
  const [enrolledOnce] = holderE.outgoing;
  const [tapsOnce] = holderT.outgoing;
  const answerT = tapHolderReceive(holderT.state, enrolledOnce.bytes, rngs.tapHolder);
  const answerE = enrolmentHolderReceive(holderE.state, tapsOnce.bytes);
  messages.push(...answerT.outgoing, ...answerE.outgoing);
  let matcher = startMatcher();
  let match: JoinMatch | undefined;
  for (const m of [...answerT.outgoing, ...answerE.outgoing]) {
    const step = matcherReceive(matcher, m.bytes);
    matcher = step.state;
    match = step.match ?? match;
  }
  if (match === undefined) throw new Error('unreachable: the matcher received both lists');
  return { messages, order: holderT.order, match };
}
