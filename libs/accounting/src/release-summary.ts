import {
  type DistributedGaussianCalibration,
  type DistributedLaplaceCalibration,
  Rational,
} from '#concord/dp';
import { AccountingError } from './accounting-error.js';
import { type PrivacyCharge, chargeEpsilon, privacyCharge } from './budget.js';
import { intervalCoverage, intervalHalfWidth, totalNoiseVariance } from './confidence-interval.js';
import { ddgXi } from './ddg-correction.js';
import { rationalToFloatUp } from './float-bounds.js';
import { releasedNoiseLaw } from './noise-law.js';

/** A calibrated distributed mechanism, as `#concord/dp` produces it. */
export type ReleaseCalibration = DistributedGaussianCalibration | DistributedLaplaceCalibration;

/** How a release is reported: the delta policy for epsilon, the interval level, the cell count. */
export interface ReleasePolicy {
  /** delta at which epsilon is stated (for example 1e-9). */
  readonly delta: number;
  /** 1 - confidence of the error bars; default 0.05. */
  readonly alpha?: number;
  /** Cells released together (d in xi = tau d); default 1. */
  readonly cells?: number;
}

/** Everything the API shows about one release's privacy and accuracy; JSON-ready. */
export interface ReleaseSummary {
  readonly mechanism: ReleaseCalibration['mechanism'];
  readonly parties: number;
  readonly corrupt: number;
  readonly honestParties: number;
  /** What each party sampled, exact: N_Z(0, shareSigma2), or A - B with A, B ~ NB(1/h, e^{-gamma}). */
  readonly perParty:
    { readonly shareSigma2: string } | { readonly gamma: string; readonly scale: string };
  /** The ledger charge, exact. */
  readonly rho: string;
  readonly xi: string;
  /** Pure epsilon (Polya releases only), exact. */
  readonly pureEpsilon: string | null;
  /** epsilon at `delta`, rounded up. */
  readonly epsilon: number;
  readonly delta: number;
  readonly alpha: number;
  /** Half-width of the (1 - alpha) interval [y - h, y + h] around each released value. */
  readonly halfWidth: number;
  /** Lower bound on the exact coverage of that interval (>= 1 - alpha). */
  readonly coverage: number;
  /** Exact variance of the total released noise, rounded up. */
  readonly noiseVariance: number;
}

/**
 * The ledger charge of one release: (xi, rho) = (tau d, D2^2/(2 h s)) for the distributed discrete
 * Gaussian, (0, epsilon^2/2) for Polya shares (docs/privacy.md, 'Accounting').
 */
export function releaseCharge(calibration: ReleaseCalibration, cells = 1): PrivacyCharge {
  switch (calibration.mechanism) {
    case 'discrete-gaussian':
      return privacyCharge(
        calibration.rho,
        ddgXi(calibration.shareSigma2, calibration.honestParties, cells),
      );
    case 'polya-laplace':
      return privacyCharge(calibration.rho, Rational.ZERO);
  }
}

/**
 * One release described for the API: mechanism, per-party parameter, exact charge, epsilon at the
 * delta policy and the exact error bar of the total noise (docs/privacy.md, 'Accounting' and
 * 'Error bars').
 * Every float rounds against the analyst: epsilon up, half-width up, coverage down.
 */
export function describeRelease(
  calibration: ReleaseCalibration,
  policy: ReleasePolicy,
): ReleaseSummary {
  const alpha = policy.alpha ?? 0.05;
  const cells = policy.cells ?? 1;
  if (!Number.isSafeInteger(cells) || cells < 1) {
    throw new AccountingError('invalid-parameter', 'cells must be an integer >= 1');
  }
  const charge = releaseCharge(calibration, cells);
  const law = releasedNoiseLaw(calibration);
  const halfWidth = intervalHalfWidth(law, alpha);
  const common = {
    mechanism: calibration.mechanism,
    parties: calibration.parties,
    corrupt: calibration.corrupt,
    honestParties: calibration.honestParties,
    rho: charge.rho.toString(),
    xi: charge.xi.toString(),
    delta: policy.delta,
    alpha,
    halfWidth,
    coverage: intervalCoverage(law, halfWidth),
    noiseVariance: totalNoiseVariance(law),
  };
  switch (calibration.mechanism) {
    case 'discrete-gaussian':
      return {
        ...common,
        perParty: { shareSigma2: calibration.shareSigma2.toString() },
        pureEpsilon: null,
        epsilon: chargeEpsilon(charge, policy.delta),
      };
    case 'polya-laplace':
      // Pure epsilon-DP implies (epsilon, delta)-DP for every delta.
      return {
        ...common,
        perParty: { gamma: calibration.gamma.toString(), scale: calibration.scale.toString() },
        pureEpsilon: calibration.epsilon.toString(),
        epsilon: rationalToFloatUp(calibration.epsilon),
      };
  }
}
