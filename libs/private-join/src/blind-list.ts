import { POINT_BYTES } from './group.js';
import { groupTask, type JoinTask } from './join-task.js';
import { type JoinMessageKind, readJoinList } from './messages.js';

/**
 * A holder's answer to the other holder's list: check `bytes` as a list of `kind` (header,
 * length, no repeats), then decode, check and raise each element to the holder's secret
 * `exponent` (one group operation per list element, which may run on other threads), and
 * `finish` with the blinded elements in the received order.
 */
export function blindReceivedList<T>(
  bytes: Uint8Array,
  kind: JoinMessageKind,
  exponent: bigint,
  finish: (blinded: Uint8Array[]) => T,
): JoinTask<T> {
  const list = readJoinList(bytes, kind);
  return groupTask(
    list.count,
    (first, n) => ({
      op: 'blind',
      first,
      exponent,
      // A copy, not a view: a view crosses to a worker thread with its whole buffer (structured
      // clone copies the ArrayBuffer), which made every batch of a 10^6-element list carry 32 MB.
      encodings: list.encodings.slice(first * POINT_BYTES, (first + n) * POINT_BYTES),
      list: kind,
    }),
    finish,
  );
}
