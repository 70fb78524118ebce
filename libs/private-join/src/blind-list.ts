import { blind } from './group.js';
import type { JoinTask } from './join-task.js';
import { listTask } from './join-task.js';
import { elementAt, type JoinMessageKind, readJoinList } from './messages.js';

/**
 * A holder's answer to the other holder's list: check `bytes` as a list of `kind`, then raise
 * each element to the holder's secret `exponent` (one task element per list element), and
 * `finish` with the blinded elements in the received order.
 */
export function blindReceivedList<T>(
  bytes: Uint8Array,
  kind: JoinMessageKind,
  exponent: bigint,
  finish: (blinded: Uint8Array[]) => T,
): JoinTask<T> {
  const list = readJoinList(bytes, kind);
  return listTask(list.count, (j) => blind(elementAt(list, j), exponent), finish);
}
