import { ddgXi } from '#concord/accounting';
import {
  calibrateDistributedGaussian,
  calibrateDistributedLaplace,
  DpError,
  type NoiseSpec,
  Rational,
} from '#concord/dp';
import type { Sensitivity } from './analyze-protocol.js';
import { ProtocolError } from './protocol-error.js';

/** The noise one output gets for its share of a request's budget. */
export interface OutputNoise {
  readonly mechanism: 'discrete-gaussian' | 'polya-laplace';
  /** What each party samples per cell. */
  readonly spec: NoiseSpec;
  /** zCDP charged for this output (for Pólya: ε²/2, with `epsilon` the pure charge). */
  readonly rho: Rational;
  readonly epsilon: Rational | undefined;
  /** An upper bound on the variance of the released (three-share) noise. */
  readonly totalVarianceBound: Rational;
  /**
   * ξ charged for releasing `cells` cells of this output: τ·d for the distributed discrete Gaussian
   * (the sum of discrete Gaussians is not one; docs/privacy.md, 'Accounting'), 0 for Pólya shares.
   * An exact rational, rounded up.
   */
  xiFor(cells: number): Rational;
}

/**
 * Calibrates one output (docs/privacy.md, 'Calibration') against the two honest parties: DDG shares
 * of variance σ²/2 with σ² = Δ2²/(2ρ), or Pólya shares for DLap(e^{-ε/Δ1}).
 */
export function calibrateOutputNoise(
  mechanism: 'discrete-gaussian' | 'polya-laplace',
  budget: Rational,
  sensitivity: Sensitivity,
): OutputNoise {
  try {
    if (mechanism === 'discrete-gaussian') {
      const c = calibrateDistributedGaussian({
        rho: budget,
        l2SensitivitySquared: sensitivity.l2Squared,
      });
      return {
        mechanism,
        spec: { mechanism, shareSigma2: c.shareSigma2 },
        rho: c.rho,
        epsilon: undefined,
        totalVarianceBound: c.totalSigma2,
        xiFor: (cells) => ddgXi(c.shareSigma2, c.honestParties, cells),
      };
    }
    const c = calibrateDistributedLaplace({ epsilon: budget, l1Sensitivity: sensitivity.l1 });
    // Released noise NB(3/2) − NB(3/2) has variance 3p/(1−p)² ≤ 3b² for p = e^{−1/b}.
    return {
      mechanism,
      spec: { mechanism, gamma: c.gamma, honestParties: c.honestParties },
      rho: c.rho,
      epsilon: c.epsilon,
      totalVarianceBound: c.scale.mul(c.scale).mul(3n),
      xiFor: () => Rational.ZERO,
    };
  } catch (e) {
    if (e instanceof DpError) throw new ProtocolError('invalid-budget', e.message);
    throw e;
  }
}
