import { POINT_BYTES } from './group.js';
import { type JoinTask, listTask, runTask } from './join-task.js';
import { elementAt, joinMessageKind, readJoinList } from './messages.js';
import { PrivateJoinError } from './private-join-error.js';

/** The matcher's state: the validated double-blinded lists received so far (either order). */
export interface MatcherState {
  readonly enrolledTwice?: Uint8Array;
  readonly tapsTwice?: Uint8Array;
}

/**
 * The match: `indicators[j]` is 1 when the tap holder's join position j holds an enrolled token.
 * `intersectionSize` is what the matcher learns (it is the sum of the indicators).
 */
export interface JoinMatch {
  readonly indicators: Uint8Array;
  readonly intersectionSize: number;
}

export interface MatcherStep {
  readonly state: MatcherState;
  /** Present once both lists have arrived. */
  readonly match?: JoinMatch;
}

export function startMatcher(): MatcherState {
  return {};
}

/**
 * Step 5: take `enrolled-twice` or `taps-twice` (each once), every element decoded and checked;
 * match when both are in.
 */
export function matcherTake(state: MatcherState, bytes: Uint8Array): JoinTask<MatcherStep> {
  const kind = joinMessageKind(bytes);
  if (kind !== 'enrolled-twice' && kind !== 'taps-twice') {
    throw new PrivateJoinError('unexpected-message', `the matcher does not take ${kind}`);
  }
  const field = kind === 'enrolled-twice' ? 'enrolledTwice' : 'tapsTwice';
  if (state[field] !== undefined) {
    throw new PrivateJoinError('unexpected-message', `the matcher already has ${kind}`);
  }
  const list = readJoinList(bytes, kind);
  return listTask(
    list.count,
    (j) => elementAt(list, j),
    () => {
      const next: MatcherState = { ...state, [field]: list.encodings };
      if (next.enrolledTwice === undefined || next.tapsTwice === undefined) return { state: next };
      return { state: next, match: matchLists(next.enrolledTwice, next.tapsTwice) };
    },
  );
}

/** `matcherTake` in one go. */
export const matcherReceive = (state: MatcherState, bytes: Uint8Array): MatcherStep =>
  runTask(matcherTake(state, bytes));

/**
 * Equality of canonical encodings is equality of group elements (ristretto255 encodings are
 * unique), so matching is a hash-set lookup on the 32-byte strings, no group operation.
 */
function matchLists(enrolled: Uint8Array, taps: Uint8Array): JoinMatch {
  const asText = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const e = asText(enrolled);
  const set = new Set<string>();
  for (let at = 0; at < e.length; at += POINT_BYTES) {
    set.add(e.toString('latin1', at, at + POINT_BYTES));
  }
  const t = asText(taps);
  const indicators = new Uint8Array(t.length / POINT_BYTES);
  let intersectionSize = 0;
  for (let j = 0; j < indicators.length; j++) {
    const at = POINT_BYTES * j;
    if (set.has(t.toString('latin1', at, at + POINT_BYTES))) {
      indicators[j] = 1;
      intersectionSize++;
    }
  }
  return { indicators, intersectionSize };
}
