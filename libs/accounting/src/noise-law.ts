import {
  type DistributedGaussianCalibration,
  type DistributedLaplaceCalibration,
  Rational,
  type RationalLike,
} from '#concord/dp';
import { AccountingError } from './accounting-error.js';

/**
 * The law of the TOTAL noise in a released value (what error bars must cover), all parameters
 * exact (docs/privacy.md, 'Error bars'):
 * - `discrete-gaussian-sum`: the sum of `shares` i.i.d. N_Z(0, shareSigma2) (DDG, n = 3 shares;
 *   `shares` = 1 is the central discrete Gaussian);
 * - `negative-binomial-difference`: NB(shape, e^{-gamma}) - NB(shape, e^{-gamma}), the sum of n
 *   Polya shares calibrated to h honest parties has shape n/h;
 * - `discrete-laplace`: central DLap(e^{-gamma}).
 */
export type TotalNoiseLaw =
  | {
      readonly kind: 'discrete-gaussian-sum';
      readonly shareSigma2: Rational;
      readonly shares: number;
    }
  | {
      readonly kind: 'negative-binomial-difference';
      readonly gamma: Rational;
      readonly shape: Rational;
    }
  | { readonly kind: 'discrete-laplace'; readonly gamma: Rational };

function positive(name: string, value: RationalLike): Rational {
  const r = Rational.from(value);
  if (r.sign() <= 0) {
    throw new AccountingError('invalid-parameter', `${name} must be > 0, got ${r.toString()}`);
  }
  return r;
}

function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new AccountingError('invalid-parameter', `${name} must be an integer >= 1`);
  }
  return value;
}

/** The sum of `shares` i.i.d. discrete Gaussian shares N_Z(0, shareSigma2). */
export function discreteGaussianSumNoise(shareSigma2: RationalLike, shares: number): TotalNoiseLaw {
  return {
    kind: 'discrete-gaussian-sum',
    shareSigma2: positive('shareSigma2', shareSigma2),
    shares: count('shares', shares),
  };
}

/** The sum of `parties` Polya shares NB(1/h, e^{-gamma}) - NB(1/h, e^{-gamma}). */
export function polyaSumNoise(
  gamma: RationalLike,
  parties: number,
  honestParties: number,
): TotalNoiseLaw {
  return {
    kind: 'negative-binomial-difference',
    gamma: positive('gamma', gamma),
    shape: Rational.of(count('parties', parties), count('honestParties', honestParties)),
  };
}

/** Central discrete Laplace DLap(e^{-gamma}). */
export function discreteLaplaceNoise(gamma: RationalLike): TotalNoiseLaw {
  return { kind: 'discrete-laplace', gamma: positive('gamma', gamma) };
}

/** The released-noise law of a calibrated distributed mechanism (all n parties' shares). */
export function releasedNoiseLaw(
  calibration: DistributedGaussianCalibration | DistributedLaplaceCalibration,
): TotalNoiseLaw {
  switch (calibration.mechanism) {
    case 'discrete-gaussian':
      return discreteGaussianSumNoise(calibration.shareSigma2, calibration.parties);
    case 'polya-laplace':
      return polyaSumNoise(calibration.gamma, calibration.parties, calibration.honestParties);
  }
}
