import { DpError } from './dp-error.js';
import { Rational, type RationalLike } from './rational.js';

/**
 * Smallest per-party discrete Gaussian variance accepted (docs/privacy.md, 'Calibration'): at
 * sigma_s^2 = 4 the distributed-discrete-Gaussian correction is tau = 10 e^{-4 pi^2} ~ 7.2e-17 per
 * cell (Kairouz-Liu-Steinke 2021), negligible next to any delta policy.
 */
export const MIN_SHARE_SIGMA2 = Rational.of(4);

/** Who holds the noise: n parties of which at most t are corrupt. Concord runs n = 3, t = 1. */
export interface PartyModel {
  readonly parties: number;
  readonly corrupt: number;
}

/** Concord's deployment: three agencies, one may be corrupt (docs/privacy.md, 'The promise'). */
export const CONCORD_PARTIES: PartyModel = Object.freeze({ parties: 3, corrupt: 1 });

/** Distributed discrete Gaussian parameters, all exact (docs/privacy.md, 'Calibration'). */
export interface DistributedGaussianCalibration {
  readonly mechanism: 'discrete-gaussian';
  readonly parties: number;
  readonly corrupt: number;
  /** h = n - t: the shares guaranteed to be honest; they alone must give the target. */
  readonly honestParties: number;
  /** The zCDP parameter charged: rho = Delta2^2 / (2 sigma^2). */
  readonly rho: Rational;
  readonly l2SensitivitySquared: Rational;
  /** Target variance of the honest sum: sigma^2 = Delta2^2 / (2 rho). */
  readonly sigma2: Rational;
  /** What each party samples: N_Z(0, sigma^2 / h). */
  readonly shareSigma2: Rational;
  /** Variance parameter of the released noise, n sigma^2 / h (before discretisation effects). */
  readonly totalSigma2: Rational;
}

/** Distributed discrete Laplace (Polya shares) parameters (docs/privacy.md, 'Calibration'). */
export interface DistributedLaplaceCalibration {
  readonly mechanism: 'polya-laplace';
  readonly parties: number;
  readonly corrupt: number;
  readonly honestParties: number;
  /** Pure epsilon charged: epsilon = Delta1 / b. */
  readonly epsilon: Rational;
  readonly l1Sensitivity: Rational;
  /** Scale b = Delta1 / epsilon of the DLap(e^{-1/b}) the honest shares sum to. */
  readonly scale: Rational;
  /** gamma = 1/b: each party adds A - B with A, B ~ NB(1/h, e^{-gamma}). */
  readonly gamma: Rational;
  /** The same guarantee in zCDP for the unified ledger column: rho = epsilon^2 / 2. */
  readonly rho: Rational;
}

function honestCount(model: PartyModel): number {
  const { parties, corrupt } = model;
  if (!Number.isSafeInteger(parties) || !Number.isSafeInteger(corrupt) || corrupt < 0) {
    throw new DpError('invalid-parameter', 'party model: parties and corrupt must be integers');
  }
  if (parties - corrupt < 1) {
    throw new DpError(
      'invalid-parameter',
      `party model: need at least one honest party (n = ${parties}, t = ${corrupt})`,
    );
  }
  return parties - corrupt;
}

function positive(name: string, value: RationalLike): Rational {
  const r = Rational.from(value);
  if (r.sign() <= 0)
    throw new DpError('invalid-parameter', `${name} must be > 0, got ${r.toString()}`);
  return r;
}

/** zCDP of the discrete Gaussian N_Z(0, sigma2) on an L2-sensitivity query: rho = D2^2/(2 sigma2) (CKS20 Theorem 4). */
export function gaussianRho(l2SensitivitySquared: RationalLike, sigma2: RationalLike): Rational {
  return positive('l2SensitivitySquared', l2SensitivitySquared).div(
    positive('sigma2', sigma2).mul(2n),
  );
}

/** The inverse of `gaussianRho`: the sigma2 that gives exactly rho, sigma2 = D2^2/(2 rho). */
export function gaussianSigma2(l2SensitivitySquared: RationalLike, rho: RationalLike): Rational {
  return positive('l2SensitivitySquared', l2SensitivitySquared).div(positive('rho', rho).mul(2n));
}

/**
 * The rho charged when each of the h honest parties adds N_Z(0, shareSigma2): the honest sum is
 * (close to, see the DDG correction xi) N_Z(0, h shareSigma2), so rho = D2^2/(2 h shareSigma2)
 * (docs/privacy.md, 'Calibration'; Kairouz-Liu-Steinke 2021 Theorem 1).
 */
export function distributedGaussianRho(
  l2SensitivitySquared: RationalLike,
  shareSigma2: RationalLike,
  model: PartyModel = CONCORD_PARTIES,
): Rational {
  const h = honestCount(model);
  return gaussianRho(l2SensitivitySquared, positive('shareSigma2', shareSigma2).mul(BigInt(h)));
}

/**
 * Calibrates the distributed discrete Gaussian against a coalition of t parties: the h = n - t
 * honest shares alone must give rho-zCDP, so sigma^2 = D2^2/(2 rho) and each party samples
 * N_Z(0, sigma^2/h) (docs/privacy.md, 'Calibration'). The L2 sensitivity is passed squared so that
 * it stays exact (a square root would not be rational).
 *
 * Throws `share-variance-too-small` if sigma^2/h < 4 (`MIN_SHARE_SIGMA2`): the caller must then
 * spend less rho per release (raising sigma) or accept a larger share variance explicitly.
 */
export function calibrateDistributedGaussian(options: {
  readonly rho: RationalLike;
  readonly l2SensitivitySquared: RationalLike;
  readonly model?: PartyModel;
}): DistributedGaussianCalibration {
  const model = options.model ?? CONCORD_PARTIES;
  const h = honestCount(model);
  const rho = positive('rho', options.rho);
  const l2SensitivitySquared = positive('l2SensitivitySquared', options.l2SensitivitySquared);
  const sigma2 = gaussianSigma2(l2SensitivitySquared, rho);
  const shareSigma2 = sigma2.div(BigInt(h));
  if (shareSigma2.lt(MIN_SHARE_SIGMA2)) {
    throw new DpError(
      'share-variance-too-small',
      `calibrateDistributedGaussian: share variance ${shareSigma2.toString()} is below ${MIN_SHARE_SIGMA2.toString()}; ` +
        `lower rho to at most ${gaussianRho(l2SensitivitySquared, MIN_SHARE_SIGMA2.mul(BigInt(h))).toString()}`,
    );
  }
  return Object.freeze({
    mechanism: 'discrete-gaussian',
    parties: model.parties,
    corrupt: model.corrupt,
    honestParties: h,
    rho,
    l2SensitivitySquared,
    sigma2,
    shareSigma2,
    totalSigma2: shareSigma2.mul(BigInt(model.parties)),
  });
}

/**
 * Calibrates distributed discrete Laplace noise for pure epsilon-DP: b = D1/epsilon,
 * gamma = 1/b, each party adds A - B with A, B ~ NB(1/h, e^{-gamma}); any h honest shares sum to
 * DLap(e^{-gamma}) exactly, which gives epsilon = D1 gamma (docs/privacy.md, 'Mechanisms' and
 * 'Calibration').
 */
export function calibrateDistributedLaplace(options: {
  readonly epsilon: RationalLike;
  readonly l1Sensitivity: RationalLike;
  readonly model?: PartyModel;
}): DistributedLaplaceCalibration {
  const model = options.model ?? CONCORD_PARTIES;
  const h = honestCount(model);
  const epsilon = positive('epsilon', options.epsilon);
  const l1Sensitivity = positive('l1Sensitivity', options.l1Sensitivity);
  const scale = l1Sensitivity.div(epsilon);
  return Object.freeze({
    mechanism: 'polya-laplace',
    parties: model.parties,
    corrupt: model.corrupt,
    honestParties: h,
    epsilon,
    l1Sensitivity,
    scale,
    gamma: scale.reciprocal(),
    rho: pureEpsilonToRho(epsilon),
  });
}

/** Pure epsilon of discrete Laplace noise of scale b on an L1-sensitivity query: D1/b (GRS12; CKS20). */
export function laplaceEpsilon(l1Sensitivity: RationalLike, scale: RationalLike): Rational {
  return positive('l1Sensitivity', l1Sensitivity).div(positive('scale', scale));
}

/** epsilon-DP implies (epsilon^2/2)-zCDP (Bun-Steinke 2016, Proposition 1.4); exact. */
export function pureEpsilonToRho(epsilon: RationalLike): Rational {
  const e = Rational.from(epsilon);
  if (e.sign() < 0)
    throw new DpError('invalid-parameter', `epsilon must be >= 0, got ${e.toString()}`);
  return e.mul(e).div(2n);
}
