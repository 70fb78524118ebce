// Rank statistics for the timing test (T23). Floats are fine here: these are test statistics,
// not DP code.

/** Ranks 1..n, ties given their average rank. */
export function ranks(values: readonly number[]): Float64Array {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Float64Array(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k][1]] = rank;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation (Pearson correlation of the average ranks). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length || x.length < 3) throw new Error('spearman: need paired samples');
  const rx = ranks(x);
  const ry = ranks(y);
  const n = x.length;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i] - mean;
    const dy = ry[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/** The two-sample Kolmogorov–Smirnov statistic D = sup |F_a − F_b|. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * Asymptotic p-value of the two-sample KS test: Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} with
 * λ = (√n_e + 0.12 + 0.11/√n_e)·D and n_e = nm/(n+m) (Numerical Recipes, §14.3; accurate for
 * n_e ≥ 4).
 */
export function ksPValue(a: readonly number[], b: readonly number[]): number {
  const d = ksStatistic(a, b);
  const ne = (a.length * b.length) / (a.length + b.length);
  const lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 200; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
  }
  return Math.min(1, Math.max(0, sum));
}

/**
 * Values at the indices of the lowest and highest tenth of `key`. Ties are broken by `tieBreak`
 * (a random permutation rank per index), never by position: the requests of a run are in time
 * order, and breaking ties by index would turn a drift in time into a difference between deciles.
 */
export function deciles<T>(
  key: readonly number[],
  values: readonly T[],
  tieBreak: readonly number[],
): { bottom: T[]; top: T[] } {
  const order = key
    .map((k, i) => [k, i] as const)
    .sort((p, q) => p[0] - q[0] || tieBreak[p[1]] - tieBreak[q[1]]);
  const tenth = Math.floor(order.length / 10);
  return {
    bottom: order.slice(0, tenth).map(([, i]) => values[i]),
    top: order.slice(order.length - tenth).map(([, i]) => values[i]),
  };
}

/** A seeded random permutation rank for each of n indices (for tie-breaking). */
export function permutationRanks(n: number, next: () => number): number[] {
  const ranks = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
  }
  return ranks;
}
