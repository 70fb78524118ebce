/**
 * The Euclidean projection of `values` onto { x ≥ 0, Σx = total } (total ≥ 0), exact in finite
 * steps (sort, then one threshold; Held, Wolfe & Crowder 1974, Duchi et al. 2008): x = max(0, v − τ).
 * Returned as the threshold τ so that callers solving a dual (the two-way projection) reuse it.
 */
export function simplexThreshold(values: ArrayLike<number>, total: number): number {
  const n = values.length;
  const sorted = Float64Array.from(values).sort().reverse();
  // With total = 0 the only feasible point is 0: any τ ≥ max(v) gives it; take max(v).
  if (total <= 0) return sorted[0];
  let prefix = 0;
  let tau = sorted[0] - total;
  for (let k = 0; k < n; k += 1) {
    prefix += sorted[k];
    const candidate = (prefix - total) / (k + 1);
    // The support is the largest k whose k-th value stays above its threshold.
    if (sorted[k] - candidate > 0) tau = candidate;
    else break;
  }
  return tau;
}

/** max(0, v − τ) for the τ of `simplexThreshold`: the non-negative vector nearest v summing to total. */
export function projectOntoSimplex(values: readonly number[], total: number): number[] {
  const tau = simplexThreshold(values, total);
  return values.map((v) => Math.max(0, v - tau));
}
