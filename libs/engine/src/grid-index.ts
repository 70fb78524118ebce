/**
 * Index maps between row-major grids. A vector over axes (a, b, c) stores cell (i, j, k) at
 * i·|b|·|c| + j·|c| + k. These maps are public (they depend on the plan only), so every
 * operation built on them is local.
 */

function strides(axes: readonly string[], sizes: ReadonlyMap<string, number>): number[] {
  const out = new Array<number>(axes.length);
  let s = 1;
  for (let k = axes.length - 1; k >= 0; k--) {
    out[k] = s;
    s *= sizes.get(axes[k]) ?? 0;
  }
  return out;
}

function cellCount(axes: readonly string[], sizes: ReadonlyMap<string, number>): number {
  return axes.reduce((n, a) => n * (sizes.get(a) ?? 0), 1);
}

/** For each cell of `axes`, the index of its cell in `axes` without the summed-out `over` axes. */
export function reductionMap(
  axes: readonly string[],
  over: readonly string[],
  sizes: ReadonlyMap<string, number>,
): Int32Array {
  const kept = axes.filter((a) => !over.includes(a));
  const keptStrides = strides(kept, sizes);
  const n = cellCount(axes, sizes);
  const out = new Int32Array(n);
  const dims = axes.map((a) => sizes.get(a) ?? 0);
  const keptStrideOf = axes.map((a) => {
    const j = kept.indexOf(a);
    return j < 0 ? 0 : keptStrides[j];
  });
  const idx = new Array<number>(axes.length).fill(0);
  for (let i = 0; i < n; i++) {
    let target = 0;
    for (let k = 0; k < axes.length; k++) target += idx[k] * keptStrideOf[k];
    out[i] = target;
    for (let k = axes.length - 1; k >= 0; k--) {
      if (++idx[k] < dims[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** For each cell of the wider grid `to`, the index of the cell of `from` it copies. */
export function broadcastMap(
  from: readonly string[],
  to: readonly string[],
  sizes: ReadonlyMap<string, number>,
): Int32Array {
  return reductionMap(
    to,
    to.filter((a) => !from.includes(a)),
    sizes,
  );
}
