import { PostprocessError } from './postprocess-error.js';
import { projectOntoSimplex, simplexThreshold } from './simplex-projection.js';

/**
 * Non-negative, margin-consistent estimates of one released output (docs/privacy.md,
 * 'Post-processed estimates'). Post-processing: a function of the released noisy cells only, so
 * it costs no privacy. Deterministic (no randomness; the same cells give the same numbers).
 *
 * The catalogue releases cells only, no separately measured margins, so the margins the estimate
 * is made consistent with are the cells' own: with independent, equally distributed noise, the
 * best unbiased estimate of a row or column total from the cells is the sum of the noisy cells.
 * Top-down, as census disclosure-avoidance systems do:
 *   1. the grand total T = max(0, Σ cells);
 *   2. for a two-axis output, the row totals and the column totals, each the least-squares
 *      non-negative vector summing to T nearest the noisy sums (exact simplex projection);
 *   3. the cells: the least-squares non-negative table nearest the noisy cells with exactly
 *      those row and column totals (for one axis: the simplex projection onto T).
 * Step 3 for two axes is solved by exact block coordinate ascent on its dual: the minimiser is
 * x_ij = max(0, y_ij + a_i + b_j), and with b fixed each a_i is a simplex threshold (and vice
 * versa), so every sweep is exact and the iterate is non-negative throughout; the column totals
 * are exact after each sweep and the sweeps stop once every row total is within `tolerance`.
 * Outputs of more than two axes get steps 1 and 3 over the flattened cells (total only).
 */
export interface ConsistentEstimate {
  /** Non-negative, in the layout of the input (row-major over the output's axes). */
  readonly values: readonly number[];
  /** Σ values: the non-negative estimate of the grand total. */
  readonly total: number;
  /** The largest |margin of `values` − its target| over every row and column total, measured. */
  readonly maxMarginError: number;
  /** Dual sweeps used (0 for one axis: exact in one step). */
  readonly sweeps: number;
  /** False only when `maxSweeps` ran out before `tolerance` was met (maxMarginError says how far). */
  readonly converged: boolean;
}

export interface ConsistentEstimateOptions {
  /** Largest allowed margin error, relative to max(1, T). Default 1e-9. */
  readonly tolerance?: number;
  /** Cap on dual sweeps for two axes. Default 10,000. */
  readonly maxSweeps?: number;
}

export const DEFAULT_TOLERANCE = 1e-9;
const DEFAULT_MAX_SWEEPS = 10_000;

export function consistentEstimate(
  cells: readonly number[],
  shape: readonly number[],
  options: ConsistentEstimateOptions = {},
): ConsistentEstimate {
  checkInput(cells, shape);
  const total = Math.max(
    0,
    cells.reduce((s, v) => s + v, 0),
  );
  if (shape.length !== 2 || shape[0] === 1 || shape[1] === 1) {
    const values = projectOntoSimplex(cells, total);
    return {
      values,
      total,
      maxMarginError: Math.abs(values.reduce((s, v) => s + v, 0) - total),
      sweeps: 0,
      converged: true,
    };
  }
  const [rows, cols] = shape;
  const rowTargets = projectOntoSimplex(sums(cells, rows, cols, 'rows'), total);
  const colTargets = projectOntoSimplex(sums(cells, rows, cols, 'cols'), total);
  const tolerance = (options.tolerance ?? DEFAULT_TOLERANCE) * Math.max(1, total);
  return transportationProjection(
    cells,
    rows,
    cols,
    rowTargets,
    colTargets,
    tolerance,
    options.maxSweeps ?? DEFAULT_MAX_SWEEPS,
  );
}

/** Least-squares non-negative table with the given row and column totals (equal grand totals). */
function transportationProjection(
  y: readonly number[],
  rows: number,
  cols: number,
  rowTargets: readonly number[],
  colTargets: readonly number[],
  tolerance: number,
  maxSweeps: number,
): ConsistentEstimate {
  const a = new Float64Array(rows);
  const b = new Float64Array(cols);
  const row = new Float64Array(cols);
  const col = new Float64Array(rows);
  const x = new Float64Array(rows * cols);
  let sweeps = 0;
  let error = Infinity;
  while (sweeps < maxSweeps) {
    sweeps += 1;
    for (let i = 0; i < rows; i += 1) {
      for (let j = 0; j < cols; j += 1) row[j] = y[i * cols + j] + b[j];
      a[i] = -simplexThreshold(row, rowTargets[i]);
    }
    for (let j = 0; j < cols; j += 1) {
      for (let i = 0; i < rows; i += 1) col[i] = y[i * cols + j] + a[i];
      b[j] = -simplexThreshold(col, colTargets[j]);
    }
    for (let i = 0; i < rows; i += 1) {
      for (let j = 0; j < cols; j += 1)
        x[i * cols + j] = Math.max(0, y[i * cols + j] + a[i] + b[j]);
    }
    error = marginError(x, rows, cols, rowTargets, colTargets);
    if (error <= tolerance) break;
  }
  const values = Array.from(x);
  return {
    values,
    total: values.reduce((s, v) => s + v, 0),
    maxMarginError: error,
    sweeps,
    converged: error <= tolerance,
  };
}

function sums(
  cells: ArrayLike<number>,
  rows: number,
  cols: number,
  along: 'rows' | 'cols',
): number[] {
  const out = new Array<number>(along === 'rows' ? rows : cols).fill(0);
  for (let i = 0; i < rows; i += 1) {
    for (let j = 0; j < cols; j += 1) out[along === 'rows' ? i : j] += cells[i * cols + j];
  }
  return out;
}

function marginError(
  x: Float64Array,
  rows: number,
  cols: number,
  rowTargets: readonly number[],
  colTargets: readonly number[],
): number {
  let error = 0;
  sums(x, rows, cols, 'rows').forEach(
    (s, i) => (error = Math.max(error, Math.abs(s - rowTargets[i]))),
  );
  sums(x, rows, cols, 'cols').forEach(
    (s, j) => (error = Math.max(error, Math.abs(s - colTargets[j]))),
  );
  return error;
}

function checkInput(cells: readonly number[], shape: readonly number[]): void {
  if (shape.length === 0 || !shape.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new PostprocessError(
      'invalid-shape',
      `shape must be positive integers, got [${shape.join(', ')}]`,
    );
  }
  const size = shape.reduce((p, n) => p * n, 1);
  if (size !== cells.length) {
    throw new PostprocessError(
      'invalid-shape',
      `shape [${shape.join(', ')}] has ${size} cells but ${cells.length} values were given`,
    );
  }
  if (!cells.every((v) => Number.isFinite(v))) {
    throw new PostprocessError('invalid-value', 'every cell must be a finite number');
  }
}
