// Test-only statistics shared by the sampler suites: chi-square goodness of fit with pooled bins,
// 5-standard-error checks, reference distributions computed independently of the samplers, and
// the CI / full-size switch (the conventions of docs/privacy.md, 'Acceptance tests').
//
// This file is a `*.spec.ts` so that floating point is allowed in it (lint and T10 exempt spec
// files only); its own self-tests run only when Vitest collects this file itself, not again in
// every suite that imports its helpers.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type RandomSource, bufferedRandom, seededRandom, systemRandom } from '#concord/crypto';

// ---------------------------------------------------------------------------------------------
// Suite size: CI-sized by default; `CONCORD_STATISTICAL_SUITE=full` (scripts/statistical-suite.ts)
// runs the full sizes with 9 votes; `CONCORD_STATISTICAL_ENTROPY=os` replaces the fixed seeds with
// OS randomness (the nightly configuration).

export const FULL_SUITE = process.env.CONCORD_STATISTICAL_SUITE === 'full';
const OS_ENTROPY = process.env.CONCORD_STATISTICAL_ENTROPY === 'os';

/** Samples per parameter set: the CI size, or the full size in the full suite. */
export function sampleSize(ci: number, full: number): number {
  return FULL_SUITE ? full : ci;
}

/** Votes per statistical check: one fixed-seed run in CI, a majority of 9 in the full suite. */
export const VOTES = FULL_SUITE ? 9 : 1;

/** Per-test timeout: generous in the full suite (minutes of sampling), Vitest's default in CI. */
export const TIMEOUT = FULL_SUITE ? 6 * 60 * 60 * 1000 : 60_000;

/** The random source for one vote of one named check. */
export function voteRandom(name: string, vote: number): RandomSource {
  return bufferedRandom(
    OS_ENTROPY ? systemRandom : seededRandom(`concord/dp/test/${name}/${vote}`),
  );
}

/** One check's outcome; `detail` says what was measured (shown when a test fails). */
export interface CheckResult {
  readonly pass: boolean;
  readonly detail: string;
}

export function combine(results: readonly CheckResult[]): CheckResult {
  return {
    pass: results.every((r) => r.pass),
    detail: results.map((r) => `${r.pass ? 'ok  ' : 'FAIL'} ${r.detail}`).join('\n'),
  };
}

/** Runs `VOTES` votes and asserts that a majority passed (all of one in CI). */
export function expectMajority(name: string, run: (rng: RandomSource) => CheckResult): void {
  const results: CheckResult[] = [];
  for (let vote = 0; vote < VOTES; vote += 1) results.push(run(voteRandom(name, vote)));
  const passed = results.filter((r) => r.pass).length;
  const report = results.map((r, i) => `vote ${i}:\n${r.detail}`).join('\n');
  expect(passed * 2 > VOTES, `${name}: ${passed}/${VOTES} votes passed\n${report}`).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// Special functions (floats are fine in tests).

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 (Lanczos, g = 7; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i += 1) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(a, x) (series below a + 1, continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  // Lentz's continued fraction for Gamma(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}

/** Upper tail P(chi2_df >= statistic). */
export function chiSquarePValue(statistic: number, df: number): number {
  return gammaQ(df / 2, statistic / 2);
}

// ---------------------------------------------------------------------------------------------
// Reference distributions over the integers, computed from closed forms or exact-pmf sums in
// double precision, never from the samplers under test.

/** An integer distribution: P(X <= k) and a search range that holds all but ~1e-15 of the mass. */
export interface Reference {
  readonly cdf: (k: number) => number;
  readonly lo: number;
  readonly hi: number;
}

/** A distribution given by an explicit pmf table over [offset, offset + pmf.length). */
export interface Table extends Reference {
  readonly offset: number;
  readonly pmf: Float64Array;
  readonly mean: number;
  readonly variance: number;
  /** E[(X - mean)^4]. */
  readonly fourthMoment: number;
}

export function tableFromWeights(offset: number, weights: Float64Array): Table {
  let total = 0;
  for (let i = weights.length - 1; i >= 0; i -= 1) total += weights[i];
  const pmf = weights.map((w) => w / total);
  const prefix = new Float64Array(pmf.length);
  let running = 0;
  for (let i = 0; i < pmf.length; i += 1) {
    running += pmf[i];
    prefix[i] = running;
  }
  let mean = 0;
  for (let i = 0; i < pmf.length; i += 1) mean += pmf[i] * (offset + i);
  let variance = 0;
  let fourthMoment = 0;
  for (let i = 0; i < pmf.length; i += 1) {
    const d2 = (offset + i - mean) ** 2;
    variance += pmf[i] * d2;
    fourthMoment += pmf[i] * d2 * d2;
  }
  const last = offset + pmf.length - 1;
  return {
    offset,
    pmf,
    mean,
    variance,
    fourthMoment,
    lo: offset,
    hi: last,
    cdf: (k) => (k < offset ? 0 : k >= last ? 1 : prefix[Math.floor(k) - offset]),
  };
}

/** N_Z(0, sigma2): weights exp(-k^2/(2 sigma2)) over |k| <= 12 sigma + 10 (the rest < 1e-31). */
export function discreteGaussianTable(sigma2: number): Table {
  const reach = Math.ceil(12 * Math.sqrt(sigma2)) + 10;
  const weights = new Float64Array(2 * reach + 1);
  for (let k = -reach; k <= reach; k += 1) weights[k + reach] = Math.exp(-(k * k) / (2 * sigma2));
  return tableFromWeights(-reach, weights);
}

/** NB(r, p = e^{-gamma}) by the ratio recurrence, until the remaining mass is below 1e-18. */
export function negativeBinomialTable(r: number, gamma: number): Table {
  const p = Math.exp(-gamma);
  const values = [Math.exp(r * Math.log(-Math.expm1(-gamma)))];
  let sum = values[0];
  for (let k = 0; 1 - sum > 1e-18 || k < 10; k += 1) {
    const next = (values[k] * p * (k + r)) / (k + 1);
    values.push(next);
    sum += next;
    if (next < 1e-300 || values.length > 5e7) break;
  }
  return tableFromWeights(0, Float64Array.from(values));
}

/** The law of X + Y for independent table distributions. */
export function convolve(a: Table, b: Table, trim = 1e-40): Table {
  const out = new Float64Array(a.pmf.length + b.pmf.length - 1);
  for (let i = 0; i < a.pmf.length; i += 1) {
    const x = a.pmf[i];
    if (x < trim) continue;
    for (let j = 0; j < b.pmf.length; j += 1) out[i + j] += x * b.pmf[j];
  }
  return tableFromWeights(a.offset + b.offset, out);
}

/** The law of -X. */
export function negate(a: Table): Table {
  return tableFromWeights(-(a.offset + a.pmf.length - 1), a.pmf.slice().reverse());
}

/** Geometric(p = e^{-gamma}) on {0, 1, ...}: P(X <= k) = 1 - p^{k+1}. */
export function geometricReference(gamma: number): Reference & { mean: number; variance: number } {
  const p = Math.exp(-gamma);
  const oneMinusP = -Math.expm1(-gamma);
  return {
    cdf: (k) => (k < 0 ? 0 : -Math.expm1(-gamma * (Math.floor(k) + 1))),
    lo: 0,
    hi: Math.ceil(40 / gamma) + 10,
    mean: p / oneMinusP,
    variance: p / (oneMinusP * oneMinusP),
  };
}

/** DLap(p = e^{-gamma}): P(X <= k) = p^{-k}/(1+p) for k < 0, 1 - p^{k+1}/(1+p) for k >= 0. */
export function discreteLaplaceReference(gamma: number): Reference & {
  p0: number;
  variance: number;
  fourthMoment: number;
} {
  const p = Math.exp(-gamma);
  const oneMinusP = -Math.expm1(-gamma);
  return {
    cdf: (k) => {
      const j = Math.floor(k);
      return j < 0 ? Math.exp(gamma * j) / (1 + p) : 1 - Math.exp(-gamma * (j + 1)) / (1 + p);
    },
    lo: -Math.ceil(40 / gamma) - 10,
    hi: Math.ceil(40 / gamma) + 10,
    p0: oneMinusP / (1 + p),
    variance: (2 * p) / oneMinusP ** 2,
    fourthMoment: (2 * p * (1 + 11 * p + 11 * p * p + p ** 3)) / ((1 + p) * oneMinusP ** 4),
  };
}

// ---------------------------------------------------------------------------------------------
// Checks.

/** Samples as doubles (all test parameters keep them far below 2^53). */
export function toNumbers(samples: readonly bigint[]): Float64Array {
  return Float64Array.from(samples, (x) => Number(x));
}

/**
 * Pearson chi-square of integer samples against `reference`: bins at reference quantiles
 * (`maxBins` of them, so atoms of large mass get bins of their own), then pooled until every
 * expected count is >= 20; df = bins - 1; pass when p >= 1e-4 (docs/privacy.md, 'Acceptance
 * tests').
 */
export function chiSquareCheck(
  label: string,
  samples: Float64Array,
  reference: Reference,
  maxBins = 100,
): CheckResult & { pValue: number; bins: number } {
  const n = samples.length;
  const minExpected = 20;
  const wanted = Math.max(2, Math.min(maxBins, Math.floor(n / (2 * minExpected))));
  // Upper bin edges (inclusive) at quantiles j / wanted, by binary search on the cdf.
  const edges: number[] = [];
  for (let j = 1; j < wanted; j += 1) {
    const q = j / wanted;
    let lo = reference.lo - 1;
    let hi = reference.hi;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (reference.cdf(mid) >= q) hi = mid;
      else lo = mid;
    }
    if (edges.length === 0 || edges[edges.length - 1] < hi) edges.push(hi);
  }
  // Bins (edges[i-1], edges[i]]; the first is open below, the last open above.
  let bins = edges.map((edge, i) => ({
    upper: edge,
    expected: n * (reference.cdf(edge) - (i === 0 ? 0 : reference.cdf(edges[i - 1]))),
  }));
  bins.push({
    upper: Infinity,
    expected: n * (1 - reference.cdf(edges[edges.length - 1] ?? -Infinity)),
  });
  // Pool bins below the minimum expected count into their right neighbour, then the last leftward.
  const pooled: { upper: number; expected: number }[] = [];
  let carry = 0;
  for (const bin of bins) {
    carry += bin.expected;
    if (carry >= minExpected) {
      pooled.push({ upper: bin.upper, expected: carry });
      carry = 0;
    }
  }
  if (carry > 0 && pooled.length > 0) {
    const last = pooled.pop()!;
    pooled.push({ upper: Infinity, expected: last.expected + carry });
  }
  pooled[pooled.length - 1] = { ...pooled[pooled.length - 1], upper: Infinity };
  bins = pooled;
  const sorted = Float64Array.from(samples).sort();
  let statistic = 0;
  let index = 0;
  for (const bin of bins) {
    let observed = 0;
    while (index < sorted.length && sorted[index] <= bin.upper) {
      observed += 1;
      index += 1;
    }
    statistic += (observed - bin.expected) ** 2 / bin.expected;
  }
  const df = bins.length - 1;
  const pValue = df > 0 ? chiSquarePValue(statistic, df) : 1;
  return {
    pass: pValue >= 1e-4,
    pValue,
    bins: bins.length,
    detail: `${label}: chi2 = ${statistic.toFixed(1)}, df = ${df}, p = ${pValue.toExponential(3)}`,
  };
}

/** |observed - expected| <= 5 standard errors (docs/privacy.md, 'Acceptance tests'). */
export function withinFiveSe(
  label: string,
  observed: number,
  expected: number,
  standardError: number,
): CheckResult {
  const z =
    standardError > 0
      ? (observed - expected) / standardError
      : observed === expected
        ? 0
        : Infinity;
  return {
    pass: Math.abs(z) <= 5,
    detail: `${label}: observed ${observed.toPrecision(8)}, expected ${expected.toPrecision(8)}, z = ${z.toFixed(2)}`,
  };
}

/** Proportion of `count` in `n` trials vs p, within 5 binomial standard errors. */
export function proportionCheck(label: string, count: number, n: number, p: number): CheckResult {
  return withinFiveSe(label, count / n, p, Math.sqrt((p * (1 - p)) / n));
}

/** Mean of x^2 (the variance when the mean is known to be 0) within 5 SE of `variance`. */
export function zeroMeanVarianceCheck(
  label: string,
  samples: Float64Array,
  variance: number,
  fourthMoment: number,
): CheckResult {
  let sum = 0;
  for (const x of samples) sum += x * x;
  const n = samples.length;
  return withinFiveSe(label, sum / n, variance, Math.sqrt((fourthMoment - variance ** 2) / n));
}

/** Sample mean within 5 SE of `mean`. */
export function meanCheck(
  label: string,
  samples: Float64Array,
  mean: number,
  variance: number,
): CheckResult {
  let sum = 0;
  for (const x of samples) sum += x;
  return withinFiveSe(label, sum / samples.length, mean, Math.sqrt(variance / samples.length));
}

/**
 * The T3 battery for a discrete Laplace sample at p = e^{-gamma}: chi-square against
 * ((1-p)/(1+p)) p^|k|, the P(0) check (catches the double-zero bug), sign symmetry
 * |#pos - #neg| <= 5 sqrt(#nonzero), and the variance 2p/(1-p)^2 within 5 SE.
 */
export function discreteLaplaceBattery(
  label: string,
  samples: Float64Array,
  gamma: number,
): CheckResult {
  const reference = discreteLaplaceReference(gamma);
  let zeros = 0;
  let positive = 0;
  let negative = 0;
  for (const x of samples) {
    if (x === 0) zeros += 1;
    else if (x > 0) positive += 1;
    else negative += 1;
  }
  const nonzero = positive + negative;
  return combine([
    chiSquareCheck(`${label} chi2`, samples, reference),
    proportionCheck(`${label} P(0)`, zeros, samples.length, reference.p0),
    {
      pass: Math.abs(positive - negative) <= 5 * Math.sqrt(nonzero),
      detail: `${label} signs: ${positive} positive, ${negative} negative`,
    },
    zeroMeanVarianceCheck(`${label} variance`, samples, reference.variance, reference.fourthMoment),
  ]);
}

/**
 * Pearson chi-square over explicit bins (observed vs expected counts), pooling bins whose expected
 * count is below 20 into their right neighbour (the last leftward), the same rule as
 * `chiSquareCheck`; pass when p >= 1e-4. A single bin left after pooling is vacuous and passes.
 */
export function binnedChiSquare(
  label: string,
  observed: readonly number[],
  expected: readonly number[],
): CheckResult & { pValue: number; bins: number } {
  const pooled: { observed: number; expected: number }[] = [];
  let carry = { observed: 0, expected: 0 };
  for (let i = 0; i < expected.length; i += 1) {
    carry = { observed: carry.observed + observed[i], expected: carry.expected + expected[i] };
    if (carry.expected >= 20) {
      pooled.push(carry);
      carry = { observed: 0, expected: 0 };
    }
  }
  if (carry.expected > 0 || carry.observed > 0) {
    const last = pooled.pop() ?? { observed: 0, expected: 0 };
    pooled.push({
      observed: last.observed + carry.observed,
      expected: last.expected + carry.expected,
    });
  }
  let statistic = 0;
  for (const bin of pooled) statistic += (bin.observed - bin.expected) ** 2 / bin.expected;
  const df = pooled.length - 1;
  const pValue = df > 0 ? chiSquarePValue(statistic, df) : 1;
  return {
    pass: pValue >= 1e-4,
    pValue,
    bins: pooled.length,
    detail: `${label}: chi2 = ${statistic.toFixed(1)}, df = ${df}, p = ${pValue.toExponential(3)}`,
  };
}

/**
 * Per-integer chi-square: one bin for every integer whose own expected count is at least 20, and
 * the rest of the mass in a lower and an upper tail bin. Unlike the quantile bins of
 * `chiSquareCheck` (about sigma/40 integers wide at sigma = 1000), no two neighbouring integers
 * share a bin, so mass moved between them (an even-only or lattice sampler) shows. At
 * N = 2 * 10^5 and sigma = 1000 this is about 3,300 single-integer bins.
 */
export function perIntegerChiSquareCheck(
  label: string,
  samples: Float64Array,
  table: Table,
): CheckResult & { bins: number } {
  const n = samples.length;
  const single: number[] = [];
  for (let i = 0; i < table.pmf.length; i += 1) if (n * table.pmf[i] >= 20) single.push(i);
  if (single.length === 0) {
    return {
      pass: true,
      bins: 0,
      detail: `${label}: no integer has an expected count >= 20 at N = ${n} (see the residue check)`,
    };
  }
  const first = single[0];
  const last = single[single.length - 1];
  // Bins: (-inf, first), first..last one integer each (the mass of any integer in between that
  // falls short of 20 stays in its own bin and is pooled by binnedChiSquare), (last, +inf).
  const observed = new Array<number>(last - first + 3).fill(0);
  for (const x of samples) {
    const i = x - table.offset;
    observed[i < first ? 0 : i > last ? observed.length - 1 : i - first + 1] += 1;
  }
  const expected = [n * table.cdf(table.offset + first - 1)];
  for (let i = first; i <= last; i += 1) expected.push(n * table.pmf[i]);
  expected.push(n * (1 - table.cdf(table.offset + last)));
  return { ...binnedChiSquare(label, observed, expected), bins: observed.length };
}

/**
 * Residue chi-square: X mod m against the exact residue probabilities of the table, for each m in
 * `moduli`. It needs no per-integer mass, so it keeps its power where sigma is far above N (at
 * sigma2 = 10^10 and N = 10^4 each integer expects 0.04 samples): an even-only sampler gives
 * chi2 = N on df 1 for m = 2. For large sigma the residues are uniform to within e^{-2 pi^2
 * sigma^2 / m^2}; the exact sums are used anyway so that small sigma is tested as well.
 */
export function residueChiSquareCheck(
  label: string,
  samples: Float64Array,
  table: Table,
  moduli: readonly number[] = [2, 3, 5, 8],
): CheckResult {
  const results = moduli.map((m) => {
    const expected = new Array<number>(m).fill(0);
    for (let i = 0; i < table.pmf.length; i += 1) {
      expected[(((table.offset + i) % m) + m) % m] += samples.length * table.pmf[i];
    }
    const observed = new Array<number>(m).fill(0);
    for (const x of samples) observed[((x % m) + m) % m] += 1;
    return binnedChiSquare(`${label} mod ${m}`, observed, expected);
  });
  return combine(results);
}

/**
 * The T4 battery for a discrete Gaussian sample: chi-square against the exact N_Z pmf on quantile
 * bins, per integer and per residue class (mod 2, 3, 5, 8); the mean within 5 SE of 0; and the
 * variance against the exact discrete variance within 5 sqrt((E[X^4] - Var^2)/N).
 */
export function discreteGaussianBattery(
  label: string,
  samples: Float64Array,
  table: Table,
): CheckResult {
  return combine([
    chiSquareCheck(`${label} chi2`, samples, table),
    perIntegerChiSquareCheck(`${label} per-integer chi2`, samples, table),
    residueChiSquareCheck(`${label} residue chi2`, samples, table),
    meanCheck(`${label} mean`, samples, table.mean, table.variance),
    zeroMeanVarianceCheck(`${label} variance`, samples, table.variance, table.fourthMoment),
  ]);
}

/** The T4 battery as it stood before the per-integer, residue and mean checks (for T7 (f)). */
export function quantileOnlyGaussianBattery(
  label: string,
  samples: Float64Array,
  table: Table,
): CheckResult {
  return combine([
    chiSquareCheck(`${label} chi2`, samples, table),
    zeroMeanVarianceCheck(`${label} variance`, samples, table.variance, table.fourthMoment),
  ]);
}

/** Uniform doubles in (0, 1) from 53 random bits (for the float planted bugs only). */
export function uniformDouble(rng: RandomSource): number {
  const bytes = new Uint8Array(7);
  for (;;) {
    rng.fill(bytes);
    let value = 0;
    for (let i = 0; i < 7; i += 1) value = value * 256 + bytes[i];
    const u = (value % 2 ** 53) / 2 ** 53;
    if (u > 0) return u;
  }
}

// ---------------------------------------------------------------------------------------------

const collectedDirectly = expect.getState().testPath === fileURLToPath(import.meta.url);

// An `if` rather than `describe.runIf`: importers should not even list these as skipped.
if (collectedDirectly) {
  describe('statistical helpers (self-test)', () => {
    it('gammaQ matches known chi-square tail values', () => {
      // Reference values: scipy.stats.chi2.sf(x, df).
      expect(chiSquarePValue(3.841458820694124, 1)).toBeCloseTo(0.04999999999999989, 12);
      expect(chiSquarePValue(124.3421134, 100)).toBeCloseTo(0.05000000002527232, 12);
      expect(chiSquarePValue(10, 10)).toBeCloseTo(0.44049328506521257, 12);
      expect(chiSquarePValue(0.5, 3)).toBeCloseTo(0.9188914116546758, 12);
      expect(chiSquarePValue(150, 100) / 0.0009039320423540184).toBeCloseTo(1, 10);
      expect(chiSquarePValue(1000, 900) / 0.010994608942135844).toBeCloseTo(1, 10);
      expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 13);
    });

    it('chi-square check accepts the reference and rejects a shifted sample', () => {
      const reference = discreteLaplaceReference(1 / 3);
      const quantiles = Float64Array.from({ length: 20_000 }, (_, i) => {
        // Deterministic "sample" at the reference quantiles: a perfect fit.
        const q = (i + 0.5) / 20_000;
        let k = reference.lo;
        while (reference.cdf(k) < q) k += 1;
        return k;
      });
      expect(chiSquareCheck('fit', quantiles, reference).pass).toBe(true);
      expect(
        chiSquareCheck(
          'shift',
          quantiles.map((x) => x + 1),
          reference,
        ).pass,
      ).toBe(false);
    });

    it('tables: convolution of two geometrics is NB(2), DLap moments match the table', () => {
      const g = 0.25;
      const geometric = negativeBinomialTable(1, g);
      const sum = convolve(geometric, geometric);
      const nb2 = negativeBinomialTable(2, g);
      for (let k = 0; k < 50; k += 1) expect(sum.pmf[k]).toBeCloseTo(nb2.pmf[k], 14);
      const dlap = convolve(geometric, negate(geometric));
      const reference = discreteLaplaceReference(g);
      expect(dlap.variance).toBeCloseTo(reference.variance, 9);
      expect(dlap.fourthMoment / reference.fourthMoment).toBeCloseTo(1, 9);
      expect(dlap.cdf(-1)).toBeCloseTo(reference.cdf(-1), 14);
    });
  });
}
