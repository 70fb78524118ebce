/**
 * A join step whose group operations can be done a slice at a time: hashing and blinding a list
 * of 10⁴–10⁶ tokens costs about a millisecond per element in one thread, and a node that did it
 * in one go would stop answering its coordinator (heartbeats, other sessions) for minutes.
 * `step(n)` does up to n more element operations; `result()` is the step's outcome once `done`.
 * Sans I/O: whoever drives a task decides when the next slice runs.
 */
export interface JoinTask<T> {
  /** Element operations in all. */
  readonly size: number;
  readonly done: boolean;
  /** Does up to `n` more element operations; returns how many it did. */
  step(n: number): number;
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
    result() {
      if (next < size) throw new RangeError(`join task result before its ${size} operations`);
      outcome ??= { value: finish(items) };
      return outcome.value;
    },
  };
}

/** Runs a task to the end in one go (tests, the benchmark, in-process runs). */
export function runTask<T>(task: JoinTask<T>): T {
  task.step(task.size);
  return task.result();
}
