import { type RandomSource } from '#concord/crypto';
import { DpError } from './dp-error.js';
import { discreteGaussianFraction } from './discrete-gaussian.js';
import { type NoiseSpec, validateNoiseSpec } from './noise-spec.js';
import { distributedLaplaceShareFraction } from './polya.js';

/**
 * `count` independent noise shares for `spec`, drawn in order from `rng` with the exact samplers
 * (`discreteGaussian`, `distributedLaplaceShare`). Pass `bufferedRandom(systemRandom)` in
 * production: the samplers read a few bytes at a time.
 */
export function sampleNoiseVector(rng: RandomSource, spec: NoiseSpec, count: number): bigint[] {
  validateNoiseSpec(spec);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new DpError('invalid-parameter', `sampleNoiseVector: count must be an integer >= 0`);
  }
  const out = new Array<bigint>(count);
  switch (spec.mechanism) {
    case 'discrete-gaussian': {
      const { numerator, denominator } = spec.shareSigma2;
      for (let i = 0; i < count; i += 1) {
        out[i] = discreteGaussianFraction(rng, numerator, denominator);
      }
      return out;
    }
    case 'polya-laplace': {
      const { numerator, denominator } = spec.gamma;
      const m = BigInt(spec.honestParties);
      for (let i = 0; i < count; i += 1) {
        out[i] = distributedLaplaceShareFraction(rng, m, numerator, denominator);
      }
      return out;
    }
  }
}
