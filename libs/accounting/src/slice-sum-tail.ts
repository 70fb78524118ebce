import { AccountingError } from './accounting-error.js';
import { smallestHalfWidth, noiseTailBound } from './confidence-interval.js';
import { toFloatDown, toFloatUp } from './float-bounds.js';
import { type TotalNoiseLaw } from './noise-law.js';
import { type TailBound } from './tail-bound.js';

// The sum of the released values of `cells` cells of one output (a route total, an hour total, any
// slice) carries the sum of `cells` independent copies of the cell's noise law. Its exact interval
// comes from the lattice distribution of that sum, through its characteristic function phi(t)^m,
// which is known in closed form for both mechanisms (docs/privacy.md, 'Error bars'):
//
//   P(|S| <= h) aliased on N points = (1/N) sum_k phi_S(2 pi k/N) D_h(2 pi k/N),
//   D_h(t) = sin((2h + 1) t/2) / sin(t/2),
//
// the inverse discrete Fourier transform of phi_S summed over [-h, h]: exactly
// sum_{|j| <= h} sum_l P(S = j + l N), so it exceeds the true coverage by at most
// P(|S| >= N - h), which a Chernoff bound controls; no normal approximation anywhere.

/** Terms of phi_S below this are dropped; each is bounded by it (phi_S decreases on [0, pi]). */
const DROPPED = 1e-40;
/** log of the Chernoff bound targeted at N/2: P(|S| >= N/2) <= e^-60. */
const ALIAS_EXPONENT = 60;
/**
 * Absolute margin added to every tail for the floating-point evaluation: phi_S is computed as
 * exp(m log phi) with a relative error of a few hundred ulps for m up to 10^7 cells, each term is
 * weighted by |D_h| <= 2h + 1, and their sum is near P(S = 0)(2h + 1) <= 4, so the evaluation error
 * is far below 1e-9, which is charged against the analyst.
 */
const FLOAT_MARGIN = 1e-9;
const MAX_CELLS = 100_000_000;

/** log phi(t) of one share's (or one NB difference's) law, and a Chernoff tail of the sum. */
interface SumLaw {
  /** log of the characteristic function of the whole sum at t in (0, pi]; decreasing in t. */
  readonly logPhi: (t: number) => number;
  /** An upper bound on P(|S| >= x), x >= 0. */
  readonly chernoff: (x: number) => number;
}

/** Sum of m i.i.d. N_Z(0, s). */
function discreteGaussianSum(s: number, m: number): SumLaw {
  // Poisson summation: sum_x e^{-x^2/(2s)} e^{itx} = sqrt(2 pi s) sum_n e^{-s (t - 2 pi n)^2 / 2};
  // for s >= 1 the terms |n| > 3 are below e^{-120}. Smaller s: the direct sum over x.
  const poisson = s >= 1;
  const reach = Math.ceil(Math.sqrt(2 * s * 200)) + 1;
  const raw = (t: number): number => {
    let sum = 0;
    if (poisson) {
      for (let n = -3; n <= 3; n += 1) sum += Math.exp((-s * (t - 2 * Math.PI * n) ** 2) / 2);
    } else {
      for (let x = -reach; x <= reach; x += 1)
        sum += Math.exp(-(x * x) / (2 * s)) * Math.cos(t * x);
    }
    return sum;
  };
  const norm = raw(0);
  return {
    logPhi: (t) => m * Math.log(Math.max(raw(t) / norm, Number.MIN_VALUE)),
    // N_Z(0, s) is sub-Gaussian with parameter s (CKS20, Corollary 9), so the sum is with m s.
    chernoff: (x) => Math.min(1, 2 * Math.exp(-(x * x) / (2 * m * s))),
  };
}

/** A - B with A, B i.i.d. NB(r, p), p = e^{-g}: the sum of r/shape such differences of shape. */
function negativeBinomialDifference(g: number, r: number): SumLaw {
  const p = Math.exp(-g);
  const q = -Math.expm1(-g); // 1 - p
  // |1 - p e^{it}|^2 = (1 - p)^2 + 4 p sin^2(t/2).
  const logPhi = (t: number): number => {
    const sin = Math.sin(t / 2);
    return -r * Math.log1p((4 * p * sin * sin) / (q * q));
  };
  // MGF of A - B at lambda = g/2: ((1 - p)^2 / ((1 - sqrt p)(1 - p^{3/2})))^r.
  const lambda = g / 2;
  const logM =
    r * (2 * Math.log(q) - Math.log(-Math.expm1(-g / 2)) - Math.log(-Math.expm1(-1.5 * g)));
  return { logPhi, chernoff: (x) => Math.min(1, 2 * Math.exp(logM - lambda * x)) };
}

function sumLaw(law: TotalNoiseLaw, cells: number): { sum: SumLaw; halfN: number } {
  switch (law.kind) {
    case 'discrete-gaussian-sum': {
      const s = toFloatUp(law.shareSigma2);
      const m = law.shares * cells;
      return {
        sum: discreteGaussianSum(s, m),
        halfN: Math.ceil(Math.sqrt(2 * m * s * ALIAS_EXPONENT)) + 1,
      };
    }
    case 'negative-binomial-difference':
    case 'discrete-laplace': {
      const g = toFloatDown(law.gamma);
      const r = (law.kind === 'discrete-laplace' ? 1 : toFloatUp(law.shape)) * cells;
      const sum = negativeBinomialDifference(g, r);
      // Smallest x with the Chernoff bound below e^-60, found by doubling.
      let x = 1;
      while (sum.chernoff(x) > Math.exp(-ALIAS_EXPONENT)) x *= 2;
      return { sum, halfN: x };
    }
  }
}

/**
 * Upper bound on P(|S| > h) for S the total noise of a sum over `cells` cells of an output whose
 * cells carry i.i.d. noise `law` (docs/privacy.md, 'Error bars': slices). For one cell it is the
 * cell's own exact tail (`noiseTailBound`), so a one-cell slice has the published half-width.
 */
export function sliceNoiseTail(law: TotalNoiseLaw, cells: number): TailBound {
  if (!Number.isSafeInteger(cells) || cells < 1 || cells > MAX_CELLS) {
    throw new AccountingError('invalid-parameter', `cells must be an integer in [1, ${MAX_CELLS}]`);
  }
  if (cells === 1) return noiseTailBound(law);
  const { sum, halfN } = sumLaw(law, cells);
  const n = 2 * halfN + 1; // odd: no term at t = pi to special-case
  // phi_S(2 pi k/N) for k = 1, 2, ... while it matters; it decreases in k up to N/2.
  const phis: number[] = [];
  for (let k = 1; k <= halfN; k += 1) {
    const phi = Math.exp(sum.logPhi((2 * Math.PI * k) / n));
    if (phi < DROPPED) break;
    phis.push(phi);
  }
  return (h: number): number => {
    const width = 2 * Math.floor(h) + 1;
    if (h >= halfN) return Math.min(1, sum.chernoff(Math.floor(h) + 1) + FLOAT_MARGIN);
    let inner = width;
    for (let i = 0; i < phis.length; i += 1) {
      const k = i + 1;
      // sin(pi (2h + 1) k / N), with the argument reduced exactly (integers below 2^53).
      const turns = (width * k) % (2 * n);
      inner += 2 * phis[i] * (Math.sin((Math.PI * turns) / n) / Math.sin((Math.PI * k) / n));
    }
    const aliased = inner / n;
    const dropped = (width * DROPPED * (n - 1)) / n;
    const tail = 1 - aliased + sum.chernoff(n - Math.floor(h)) + dropped + FLOAT_MARGIN;
    return Math.max(0, Math.min(1, tail, sum.chernoff(Math.floor(h) + 1) + FLOAT_MARGIN));
  };
}

/** The (1 - alpha) half-width of a sum over `cells` cells of an output with cell noise `law`. */
export function sliceHalfWidth(law: TotalNoiseLaw, cells: number, alpha = 0.05): number {
  return smallestHalfWidth(sliceNoiseTail(law, cells), alpha);
}
