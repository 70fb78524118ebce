import {
  cdpEpsilon,
  discreteGaussianSumNoise,
  intervalHalfWidth,
  polyaSumNoise,
  totalNoiseVariance,
  type TotalNoiseLaw,
} from '#concord/accounting';
import { Rational } from '#concord/dp';
import type { PlanOutput } from './session-plan.js';

/** Concord's three parties each add one noise share to every released cell. */
const PARTIES = 3;

/** The exact law of the total noise in one released cell of an output. */
export function outputNoiseLaw(output: Pick<PlanOutput, 'noise'>): TotalNoiseLaw {
  const noise = output.noise;
  return noise.mechanism === 'discrete-gaussian'
    ? discreteGaussianSumNoise(Rational.parse(noise.shareSigma2), PARTIES)
    : polyaSumNoise(Rational.parse(noise.gamma), PARTIES, noise.honestParties);
}

/** What analysts see about an output's error and privacy cost (data-independent). */
export interface OutputErrorBars {
  readonly confidenceLevel: string;
  /** Released values are within ±halfWidth of the exact (clipped) value with that probability. */
  readonly halfWidth: bigint;
  readonly noiseVariance: number;
  /** ε of this output's (ξ, ρ) charge at δ = `delta`, rounded up. */
  readonly epsilon: number;
  readonly delta: number;
}

export function outputErrorBars(
  output: PlanOutput,
  options: { alpha?: number; delta?: number } = {},
): OutputErrorBars {
  const alpha = options.alpha ?? 0.05;
  const delta = options.delta ?? 1e-9;
  const law = outputNoiseLaw(output);
  return {
    confidenceLevel: String(1 - alpha),
    halfWidth: BigInt(intervalHalfWidth(law, alpha)),
    noiseVariance: totalNoiseVariance(law),
    epsilon: cdpEpsilon(Rational.parse(output.rho), delta, Rational.parse(output.xi)),
    delta,
  };
}
