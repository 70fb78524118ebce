import { describe, expect, it } from 'vitest';
import { consistentEstimate } from './consistent-estimate.js';
import { PostprocessError } from './postprocess-error.js';
import { projectOntoSimplex } from './simplex-projection.js';

/** A deterministic test stream (mulberry32): tests only, never for noise. */
function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Sparse true counts plus rounded Gaussian-ish noise: many cells go negative, as in releases. */
function noisyGrid(rows: number, cols: number, seed: number, sigma = 10): number[] {
  const u = stream(seed);
  return Array.from({ length: rows * cols }, () => {
    const truth = u() < 0.3 ? Math.floor(u() * 60) : 0;
    const gauss = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    return truth + Math.round(sigma * gauss);
  });
}

function margins(x: readonly number[], rows: number, cols: number): [number[], number[]] {
  const r = new Array<number>(rows).fill(0);
  const c = new Array<number>(cols).fill(0);
  x.forEach((v, k) => {
    r[Math.floor(k / cols)] += v;
    c[k % cols] += v;
  });
  return [r, c];
}

const dot = (p: readonly number[], q: readonly number[]): number =>
  p.reduce((s, v, i) => s + v * q[i], 0);

describe('projectOntoSimplex', () => {
  it('gives the known answers and keeps feasible points', () => {
    expect(projectOntoSimplex([3, 1, -2], 2)).toEqual([2, 0, 0]);
    expect(projectOntoSimplex([1, 1, 1], 6)).toEqual([2, 2, 2]);
    expect(projectOntoSimplex([0.5, 0.25, 0.25], 1)).toEqual([0.5, 0.25, 0.25]);
    expect(projectOntoSimplex([-5, -7], 0)).toEqual([0, 0]);
  });

  it('is the nearest point: no feasible vertex is closer (brute force over vertices and edges)', () => {
    const u = stream(3);
    for (let trial = 0; trial < 200; trial += 1) {
      const v = Array.from({ length: 4 }, () => 20 * u() - 10);
      const total = 10 * u();
      const x = projectOntoSimplex(v, total);
      expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
      expect(x.reduce((s, w) => s + w, 0)).toBeCloseTo(total, 9);
      // Variational inequality: (v − x)·(z − x) ≤ 0 for every feasible z (vertices suffice).
      for (let k = 0; k < 4; k += 1) {
        const z = v.map((_, i) => (i === k ? total : 0));
        expect(
          dot(
            v.map((w, i) => w - x[i]),
            z.map((w, i) => w - x[i]),
          ),
        ).toBeLessThanOrEqual(1e-9);
      }
    }
  });
});

describe('consistentEstimate', () => {
  it('one axis: non-negative, summing to max(0, Σ cells)', () => {
    const e = consistentEstimate([5, -3, 2, -1], [4]);
    expect(e.values).toEqual([3, 0, 0, 0]);
    expect(e.total).toBe(3);
    expect(consistentEstimate([-5, 1], [2]).values).toEqual([0, 0]);
  });

  it('two axes: non-negative, margins within tolerance of the non-negative noisy margins, optimal', () => {
    for (const [rows, cols, seed] of [
      [12, 24, 1],
      [30, 30, 2],
      [7, 3, 3],
    ] as const) {
      const y = noisyGrid(rows, cols, seed);
      const e = consistentEstimate(y, [rows, cols]);
      expect(e.converged).toBe(true);
      expect(Math.min(...e.values)).toBeGreaterThanOrEqual(0);
      const total = Math.max(
        0,
        y.reduce((s, v) => s + v, 0),
      );
      const [rTarget, cTarget] = margins(y, rows, cols).map((m) => projectOntoSimplex(m, total));
      const [r, c] = margins(e.values, rows, cols);
      const tol = 1e-9 * Math.max(1, total);
      r.forEach((v, i) => expect(Math.abs(v - rTarget[i])).toBeLessThanOrEqual(tol));
      c.forEach((v, j) => expect(Math.abs(v - cTarget[j])).toBeLessThanOrEqual(tol));
      expect(e.maxMarginError).toBeLessThanOrEqual(tol);
      // Optimality against an independent certificate: (y − x)·(z − x) ≤ 0 (up to rounding) for
      // feasible tables z, here the independence table r·cᵀ/T and transport moves from x.
      const residual = y.map((v, k) => v - e.values[k]);
      const outer = rTarget.flatMap((ri) =>
        cTarget.map((cj) => (total > 0 ? (ri * cj) / total : 0)),
      );
      const slack = 1e-6 * Math.max(1, total);
      expect(
        dot(
          residual,
          outer.map((v, k) => v - e.values[k]),
        ),
      ).toBeLessThanOrEqual(slack);
      const u = stream(seed + 100);
      for (let move = 0; move < 200; move += 1) {
        // Shift mass t around a 2x2 cycle (i,j)+ (i,l)− (k,l)+ (k,j)−: margins stay exact.
        const [i, k] = [Math.floor(u() * rows), Math.floor(u() * rows)];
        const [j, l] = [Math.floor(u() * cols), Math.floor(u() * cols)];
        if (i === k || j === l) continue;
        const t = Math.min(e.values[i * cols + l], e.values[k * cols + j]);
        if (t <= 0) continue;
        const d = new Array<number>(rows * cols).fill(0);
        d[i * cols + j] += t;
        d[i * cols + l] -= t;
        d[k * cols + l] += t;
        d[k * cols + j] -= t;
        expect(dot(residual, d)).toBeLessThanOrEqual(slack);
      }
    }
  });

  it('is deterministic and leaves its input untouched', () => {
    const y = noisyGrid(20, 24, 9);
    const copy = [...y];
    const first = consistentEstimate(y, [20, 24]);
    const second = consistentEstimate(y, [20, 24]);
    expect(second.values).toEqual(first.values);
    expect(y).toEqual(copy);
  });

  it('keeps a table that is already non-negative and consistent', () => {
    const y = [1, 2, 3, 4, 5, 6];
    const e = consistentEstimate(y, [2, 3]);
    e.values.forEach((v, k) => expect(v).toBeCloseTo(y[k], 9));
  });

  it('all-negative noise gives the zero table', () => {
    const e = consistentEstimate([-1, -2, -3, -4], [2, 2]);
    expect(e.values).toEqual([0, 0, 0, 0]);
    expect(e.total).toBe(0);
  });

  it('refuses a shape that does not match the cells', () => {
    expect(() => consistentEstimate([1, 2, 3], [2, 2])).toThrow(PostprocessError);
    expect(() => consistentEstimate([1, Number.NaN], [2])).toThrow(PostprocessError);
  });
});
