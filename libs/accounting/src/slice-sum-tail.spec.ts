import { describe, expect, it } from 'vitest';
import { Rational } from '#concord/dp';
import { intervalHalfWidth } from './confidence-interval.js';
import { discreteGaussianSumNoise, polyaSumNoise } from './noise-law.js';
import { sliceHalfWidth, sliceNoiseTail } from './slice-sum-tail.js';

/** pmf on [-reach, reach] as an array with offset reach. */
type Pmf = { readonly reach: number; readonly p: Float64Array };

function convolve(a: Pmf, b: Pmf): Pmf {
  const reach = a.reach + b.reach;
  const p = new Float64Array(2 * reach + 1);
  for (let i = 0; i < a.p.length; i += 1) {
    if (a.p[i] === 0) continue;
    for (let j = 0; j < b.p.length; j += 1) p[i + j] += a.p[i] * b.p[j];
  }
  return { reach, p };
}

function power(a: Pmf, times: number): Pmf {
  let out = a;
  for (let i = 1; i < times; i += 1) out = convolve(out, a);
  return out;
}

/** P(|S| > h) from a pmf, summed from the small end. */
function bruteTail(s: Pmf, h: number): number {
  let tail = 0;
  for (let k = s.reach; k > h; k -= 1) tail += s.p[s.reach + k] + s.p[s.reach - k];
  return tail;
}

function bruteHalfWidth(s: Pmf, alpha: number): number {
  let h = 0;
  while (bruteTail(s, h) > alpha) h += 1;
  return h;
}

/** N_Z(0, sigma2), directly from its definition (truncated far beyond double precision). */
function discreteGaussian(sigma2: number): Pmf {
  const reach = Math.ceil(Math.sqrt(2 * sigma2 * 800));
  const p = new Float64Array(2 * reach + 1);
  let z = 0;
  for (let x = -reach; x <= reach; x += 1) z += p[x + reach] = Math.exp(-(x * x) / (2 * sigma2));
  for (let i = 0; i < p.length; i += 1) p[i] /= z;
  return { reach, p };
}

/** A - B with A, B ~ NB(r, e^{-g}), from the NB pmf by its recurrence. */
function nbDifference(g: number, r: number, reach: number): Pmf {
  const prob = Math.exp(-g);
  const nb = new Float64Array(reach + 1);
  nb[0] = Math.pow(1 - prob, r);
  for (let k = 0; k < reach; k += 1) nb[k + 1] = (nb[k] * prob * (k + r)) / (k + 1);
  const p = new Float64Array(2 * reach + 1);
  for (let a = 0; a <= reach; a += 1) {
    for (let b = 0; b <= reach; b += 1) p[reach + a - b] += nb[a] * nb[b];
  }
  return { reach, p };
}

describe('slice intervals: exact, from the convolution of the cells’ noise laws', () => {
  it('matches a brute-force convolution of discrete Gaussian shares (3 per cell, 2 to 5 cells)', () => {
    for (const sigma2 of [4, 9.5]) {
      const cell = power(discreteGaussian(sigma2), 3);
      const law = discreteGaussianSumNoise(
        Rational.from(sigma2 === 4 ? 4n : Rational.of(19, 2)),
        3,
      );
      for (let cells = 2; cells <= 5; cells += 1) {
        const brute = power(cell, cells);
        const tail = sliceNoiseTail(law, cells);
        for (const h of [0, 3, 7, 15, 30, 60]) {
          const exact = bruteTail(brute, h);
          expect(tail(h)).toBeGreaterThanOrEqual(exact);
          expect(tail(h) - exact).toBeLessThan(2e-9);
        }
        for (const alpha of [0.05, 0.01, 0.2]) {
          expect(sliceHalfWidth(law, cells, alpha)).toBe(bruteHalfWidth(brute, alpha));
        }
      }
    }
  });

  it('matches a brute-force convolution of Pólya cells (NB(3/2) − NB(3/2)), 2 to 4 cells', () => {
    const gamma = Rational.of(1, 3);
    const cell = nbDifference(1 / 3, 3 / 2, 400);
    const law = polyaSumNoise(gamma, 3, 2);
    for (let cells = 2; cells <= 4; cells += 1) {
      const brute = power(cell, cells);
      const tail = sliceNoiseTail(law, cells);
      for (const h of [0, 5, 12, 25, 50]) {
        const exact = bruteTail(brute, h);
        expect(tail(h)).toBeGreaterThanOrEqual(exact - 1e-12);
        expect(tail(h) - exact).toBeLessThan(2e-9);
      }
      expect(sliceHalfWidth(law, cells)).toBe(bruteHalfWidth(brute, 0.05));
    }
  });

  it('gives a one-cell slice the published half-width, and grows about as √cells for large slices', () => {
    const law = discreteGaussianSumNoise(64n, 3);
    expect(sliceHalfWidth(law, 1)).toBe(intervalHalfWidth(law));
    expect(sliceHalfWidth(law, 1)).toBe(27);
    const wide = sliceHalfWidth(law, 10_000);
    // 1.96 · √(3 · 64 · 10 000) ≈ 2716; the lattice law is a hair narrower than its Gaussian.
    expect(wide).toBeGreaterThan(2700);
    expect(wide).toBeLessThan(2730);
    // Revenue at ρ = 1/4 over 250 routes: large σ² and many cells stay fast and finite.
    const revenue = sliceHalfWidth(discreteGaussianSumNoise(250_000n, 3), 250);
    expect(revenue).toBeGreaterThan(26_000);
    expect(revenue).toBeLessThan(27_000);
    const polya = sliceHalfWidth(polyaSumNoise(Rational.of(1, 2000), 3, 2), 7_225);
    expect(Number.isFinite(polya)).toBe(true);
  });
});
