import {
  batchLength,
  computeGroupBatch,
  failedBatchError,
  type GroupBatch,
  type GroupBatchFailure,
} from './group-batch.js';
import { POINT_BYTES } from './group.js';

/**
 * A join step whose group operations can be done a slice at a time: hashing and blinding a list
 * of 10⁴–10⁶ tokens costs about a millisecond per element in one thread, and a node that did it
 * in one go would stop answering its coordinator (heartbeats, other sessions) for minutes.
 * `step(n)` does up to n more element operations; `result()` is the step's outcome once `done`.
 * A step of group operations can also hand runs of them to other threads (`claim`, then `fill`
 * with what the thread computed), so a holder's pass uses every core. Sans I/O: whoever drives a
 * task decides when the next slice runs and where.
 */
export interface JoinTask<T> {
  /** Element operations in all. */
  readonly size: number;
  readonly done: boolean;
  /** Does up to `n` more element operations (none already handed out); returns how many it did. */
  step(n: number): number;
  /**
   * Hands up to `n` of the operations nobody has started to another thread; undefined when none
   * is left, or when this step's operations are not group operations (they then run by `step`).
   */
  claim(n: number): GroupBatch | undefined;
  /** Takes a claimed batch's outputs, or its failure (thrown here as the `PrivateJoinError`). */
  fill(batch: GroupBatch, outcome: Uint8Array | GroupBatchFailure): void;
  result(): T;
}

/** A task of `size` independent element operations, then `finish` over their results. */
export function listTask<E, T>(
  size: number,
  item: (j: number) => E,
  finish: (items: E[]) => T,
): JoinTask<T> {
  const items = new Array<E>(size);
  let next = 0;
  let outcome: { value: T } | undefined;
  return {
    size,
    get done() {
      return next >= size;
    },
    step(n) {
      const end = Math.min(size, next + Math.max(0, n));
      const from = next;
      for (; next < end; next++) items[next] = item(next);
      return next - from;
    },
    claim: () => undefined,
    fill() {
      throw new RangeError('this join step hands out no group operations');
    },
    result() {
      if (next < size) throw new RangeError(`join task result before its ${size} operations`);
      outcome ??= { value: finish(items) };
      return outcome.value;
    },
  };
}

/**
 * A task of `size` group operations (hash-and-blind or blind, `batchOf(first, n)` describing
 * operations first … first + n − 1), then `finish` over the output elements in order. Runs of
 * operations are computed here by `step` or elsewhere through `claim`/`fill`; either way the
 * output is the same bytes, in the same places.
 */
export function groupTask<T>(
  size: number,
  batchOf: (first: number, n: number) => GroupBatch,
  finish: (outputs: Uint8Array[]) => T,
): JoinTask<T> {
  const outputs = new Uint8Array(size * POINT_BYTES);
  const outstanding = new Set<GroupBatch>();
  let next = 0;
  let completed = 0;
  let outcome: { value: T } | undefined;
  const place = (batch: GroupBatch, bytes: Uint8Array): void => {
    if (bytes.length !== batchLength(batch) * POINT_BYTES) {
      throw new RangeError(
        `a batch of ${batchLength(batch)} operations gave ${bytes.length} bytes`,
      );
    }
    outputs.set(bytes, batch.first * POINT_BYTES);
    completed += batchLength(batch);
  };
  return {
    size,
    get done() {
      return completed >= size;
    },
    step(n) {
      const count = Math.min(size - next, Math.max(0, Math.floor(n)));
      if (count === 0) return 0;
      const batch = batchOf(next, count);
      next += count;
      place(batch, computeGroupBatch(batch));
      return count;
    },
    claim(n) {
      const count = Math.min(size - next, Math.max(0, Math.floor(n)));
      if (count === 0) return undefined;
      const batch = batchOf(next, count);
      next += count;
      outstanding.add(batch);
      return batch;
    },
    fill(batch, filled) {
      if (!outstanding.delete(batch)) {
        throw new RangeError('a batch this join step did not hand out, or already took');
      }
      if (!(filled instanceof Uint8Array)) throw failedBatchError(filled);
      place(batch, filled);
    },
    result() {
      if (completed < size) throw new RangeError(`join task result before its ${size} operations`);
      outcome ??= {
        value: finish(
          Array.from({ length: size }, (_, j) =>
            outputs.subarray(j * POINT_BYTES, (j + 1) * POINT_BYTES),
          ),
        ),
      };
      return outcome.value;
    },
  };
}

/** Runs a task to the end in one go (tests, the benchmark, in-process runs). */
export function runTask<T>(task: JoinTask<T>): T {
  task.step(task.size);
  return task.result();
}
