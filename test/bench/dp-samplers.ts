import { bufferedRandom, randomBelow, systemRandom } from '#concord/crypto';
import {
  discreteGaussian,
  discreteLaplace,
  distributedLaplaceShare,
  Rational,
  sampleNoiseVector,
} from '#concord/dp';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';

/**
 * Throughput of the exact DP samplers at the scales the catalogue uses, on the production random
 * source (`bufferedRandom(systemRandom)`): the discrete Gaussian at the per-party share variances
 * revenue-per-boarding plans produce for budgets 1/100 to 2, Pólya shares at b = 8 and 100, the
 * discrete Laplace, uniform draws, and the time one party spends sampling the noise of a
 * 10^5-cell release. Prints nothing; `npm run bench` prints the figures. Speeds are measured,
 * never asserted.
 */
export async function benchDpSamplers(): Promise<DpSamplerFigures> {
  const rng = bufferedRandom(systemRandom);
  const budgets = ['1/100', '1/10', '1/2', '1', '2'];
  const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding');
  if (!entry) throw new Error('revenue-per-boarding is not in the catalogue');
  const shares = budgets.flatMap((budget) =>
    compileSessionPlan(entry.analysis, {
      sessionId: '00000000-0000-4000-8000-00000000b0b0',
      parameters: { serviceDate: '2026-03-10' },
      axisValues: { route: ['R1'] },
      budget,
      parties: { transit: 1, payments: 2, planning: 3 },
    }).outputs.map((o) => ({
      output: o.name,
      budget,
      shareSigma2: o.noise.mechanism === 'discrete-gaussian' ? o.noise.shareSigma2 : '',
    })),
  );

  const discreteGaussianRates = [];
  for (const s of shares) {
    const sigma2 = Rational.parse(s.shareSigma2);
    discreteGaussianRates.push({
      ...s,
      samplesPerSecond: await rate(() => discreteGaussian(rng, sigma2)),
    });
  }
  const polyaRates = [];
  const laplaceRates = [];
  for (const b of [8, 100]) {
    const gamma = Rational.of(1, b);
    polyaRates.push({
      b,
      honestParties: 2,
      sharesPerSecond: await rate(() => distributedLaplaceShare(rng, gamma, 2)),
    });
    laplaceRates.push({
      b,
      samplesPerSecond: await rate(() => discreteLaplace(rng, Rational.of(b))),
    });
  }
  const uniformRates = [];
  for (const bits of [8, 32, 47, 64, 128]) {
    const bound = (1n << BigInt(bits)) - 3n;
    uniformRates.push({
      bound: `2^${bits} - 3`,
      path: bits <= 48 ? 'number' : 'bigint',
      drawsPerSecond: await rate(() => randomBelow(rng, bound)),
    });
  }

  // One party's noise for a 10^5-cell release of each output, at the smallest and a middle budget.
  const release = [];
  for (const s of shares.filter((x) => x.budget === '1/100' || x.budget === '1/2')) {
    const spec = {
      mechanism: 'discrete-gaussian',
      shareSigma2: Rational.parse(s.shareSigma2),
    } as const;
    const start = performance.now();
    sampleNoiseVector(rng, spec, 100_000);
    release.push({ ...s, cells: 100_000, samplingMs: round(performance.now() - start, 1) });
    await yieldToLoop();
  }

  return {
    source: 'bufferedRandom(systemRandom)',
    discreteGaussian: discreteGaussianRates,
    polya: polyaRates,
    discreteLaplace: laplaceRates,
    randomBelow: uniformRates,
    release100k: release,
  };
}

export interface DpSamplerFigures {
  readonly source: string;
  readonly discreteGaussian: readonly {
    output: string;
    budget: string;
    shareSigma2: string;
    samplesPerSecond: number;
  }[];
  readonly polya: readonly { b: number; honestParties: number; sharesPerSecond: number }[];
  readonly discreteLaplace: readonly { b: number; samplesPerSecond: number }[];
  readonly randomBelow: readonly { bound: string; path: string; drawsPerSecond: number }[];
  readonly release100k: readonly {
    output: string;
    budget: string;
    shareSigma2: string;
    cells: number;
    samplingMs: number;
  }[];
}

/** Calls per second of `f`, over at least 250 ms and 200 calls after a short warm-up. */
async function rate(f: () => unknown): Promise<number> {
  for (let i = 0; i < 50; i++) f();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 250 || calls < 200) {
    for (let i = 0; i < 50; i++) f();
    calls += 50;
    elapsed = performance.now() - start;
  }
  await yieldToLoop();
  return round((calls / elapsed) * 1000, 0);
}

function round(x: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
