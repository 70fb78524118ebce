import { expected } from './native-mpc.js';

/**
 * The plaintext baseline: the same aggregation in one process on the clear vectors (what a single
 * trusted party would do). The vectors are generated outside the timed region, as the nodes' are
 * before the protocol starts.
 */
export function runPlaintext(
  work: 'sum' | 'multiply',
  m: number,
): { ms: number; elementsPerSecond: number } {
  const vectors =
    work === 'sum'
      ? [expected('sum', m), expected('sum', m), expected('sum', m)]
      : [expected('multiply', m), expected('multiply', m)];
  const reps = Math.max(1, Math.floor(1e7 / m));
  const out = new Float64Array(m);
  const started = performance.now();
  for (let r = 0; r < reps; r++) {
    if (work === 'sum') {
      const [a, b, c] = vectors;
      for (let i = 0; i < m; i++) out[i] = a[i] + b[i] + c[i];
    } else {
      const [a, b] = vectors;
      for (let i = 0; i < m; i++) out[i] = a[i] * b[i];
    }
  }
  const ms = (performance.now() - started) / reps;
  return { ms, elementsPerSecond: m / (ms / 1000) };
}
