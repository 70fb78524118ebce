export { bernoulliExp, bernoulliExp1, bernoulliRational } from './bernoulli.js';
export {
  CONCORD_PARTIES,
  type DistributedGaussianCalibration,
  type DistributedLaplaceCalibration,
  MIN_SHARE_SIGMA2,
  type PartyModel,
  calibrateDistributedGaussian,
  calibrateDistributedLaplace,
  distributedGaussianRho,
  gaussianRho,
  gaussianSigma2,
  laplaceEpsilon,
  pureEpsilonToRho,
} from './calibration.js';
export { discreteGaussian } from './discrete-gaussian.js';
export { discreteLaplace } from './discrete-laplace.js';
export { DpError, type DpErrorCode } from './dp-error.js';
export { geometricExpFast, geometricExpSlow } from './geometric.js';
export { integerSqrt } from './integer-sqrt.js';
export { NoisePool, type NoisePoolOptions } from './noise-pool.js';
export { type NoiseSpec, noiseSpecKey, validateNoiseSpec } from './noise-spec.js';
export { sampleNoiseVector } from './noise-vector.js';
export { distributedLaplaceShare, polya } from './polya.js';
export { Rational, type RationalLike } from './rational.js';
