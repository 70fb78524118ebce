import { describe, expect, it } from 'vitest';
import {
  CONCORD_PARTIES,
  MIN_SHARE_SIGMA2,
  calibrateDistributedGaussian,
  calibrateDistributedLaplace,
  distributedGaussianRho,
  gaussianRho,
  gaussianSigma2,
  laplaceEpsilon,
  pureEpsilonToRho,
} from './calibration.js';
import { DpError } from './dp-error.js';
import { Rational } from './rational.js';

describe('distributed noise calibration (docs/privacy.md, Calibration)', () => {
  it('DDG worked example: rho = 0.05, D2^2 = 16 gives sigma^2 = 160, shares N_Z(0, 80), total 240', () => {
    const c = calibrateDistributedGaussian({ rho: '0.05', l2SensitivitySquared: 16n });
    expect(c.mechanism).toBe('discrete-gaussian');
    expect([c.parties, c.corrupt, c.honestParties]).toEqual([3, 1, 2]);
    expect(c.sigma2.toString()).toBe('160');
    expect(c.shareSigma2.toString()).toBe('80');
    expect(c.totalSigma2.toString()).toBe('240');
    expect(c.rho.toString()).toBe('1/20');
  });

  it('the honest shares alone carry the target: rho from the shares equals the target rho', () => {
    const c = calibrateDistributedGaussian({
      rho: Rational.of(3, 70),
      l2SensitivitySquared: '5/2',
    });
    expect(distributedGaussianRho(c.l2SensitivitySquared, c.shareSigma2).equals(c.rho)).toBe(true);
    expect(gaussianRho(c.l2SensitivitySquared, c.sigma2).equals(c.rho)).toBe(true);
    expect(gaussianSigma2(c.l2SensitivitySquared, c.rho).equals(c.sigma2)).toBe(true);
  });

  it('calibrating to n instead of h is what the check prevents: shares would be sigma^2/3', () => {
    const h = calibrateDistributedGaussian({ rho: '1/20', l2SensitivitySquared: 1n });
    // With a (wrong) model where no party is corrupt, shares shrink to sigma^2/3 and the share
    // floor catches it here (10/3 < 4).
    expect(() =>
      calibrateDistributedGaussian({
        rho: '1/20',
        l2SensitivitySquared: 1n,
        model: { parties: 3, corrupt: 0 },
      }),
    ).toThrowError(expect.objectContaining({ code: 'share-variance-too-small' }));
    expect(h.shareSigma2.toString()).toBe('5');
  });

  it('enforces share variance >= 4 with a typed error that says how far to lower rho', () => {
    let error: unknown;
    try {
      calibrateDistributedGaussian({ rho: '1/10', l2SensitivitySquared: 1n });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DpError);
    expect((error as DpError).code).toBe('share-variance-too-small');
    expect((error as DpError).message).toContain('1/16');
    // Exactly at the floor is accepted.
    const edge = calibrateDistributedGaussian({ rho: '1/16', l2SensitivitySquared: 1n });
    expect(edge.shareSigma2.equals(MIN_SHARE_SIGMA2)).toBe(true);
  });

  it('Polya: epsilon = 1, D1 = 8 gives b = 8, gamma = 1/8, rho = 1/2', () => {
    const c = calibrateDistributedLaplace({ epsilon: '1', l1Sensitivity: 8n });
    expect(c.scale.toString()).toBe('8');
    expect(c.gamma.toString()).toBe('1/8');
    expect(c.honestParties).toBe(2);
    expect(c.rho.toString()).toBe('1/2');
    expect(laplaceEpsilon(8n, c.scale).toString()).toBe('1');
    expect(pureEpsilonToRho('0.3').toString()).toBe('9/200');
  });

  it('refuses non-positive parameters and degenerate party models', () => {
    const invalid = { code: 'invalid-parameter' };
    expect(() => calibrateDistributedGaussian({ rho: '0', l2SensitivitySquared: 1n })).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() =>
      calibrateDistributedGaussian({ rho: '1/100', l2SensitivitySquared: -1n }),
    ).toThrowError(expect.objectContaining(invalid));
    expect(() =>
      calibrateDistributedLaplace({
        epsilon: '1',
        l1Sensitivity: 1n,
        model: { parties: 3, corrupt: 3 },
      }),
    ).toThrowError(expect.objectContaining(invalid));
    expect(() => calibrateDistributedLaplace({ epsilon: '-1', l1Sensitivity: 1n })).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() => pureEpsilonToRho('-1')).toThrowError(expect.objectContaining(invalid));
    expect(CONCORD_PARTIES).toEqual({ parties: 3, corrupt: 1 });
    expect(Object.isFrozen(CONCORD_PARTIES)).toBe(true);
  });
});
