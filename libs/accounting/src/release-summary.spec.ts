import { describe, expect, it } from 'vitest';
import { calibrateDistributedGaussian, calibrateDistributedLaplace } from '#concord/dp';
import { XI_FLOOR } from './ddg-correction.js';
import { describeRelease, releaseCharge } from './release-summary.js';

describe('describeRelease', () => {
  it('DDG worked example (docs/privacy.md): rho 1/20, eps 1.882 at 1e-9, half-width 30', () => {
    const calibration = calibrateDistributedGaussian({ rho: '0.05', l2SensitivitySquared: 16n });
    const summary = describeRelease(calibration, { delta: 1e-9 });
    expect(summary).toMatchObject({
      mechanism: 'discrete-gaussian',
      parties: 3,
      corrupt: 1,
      honestParties: 2,
      perParty: { shareSigma2: '80' },
      rho: '1/20',
      xi: XI_FLOOR.toString(),
      pureEpsilon: null,
      delta: 1e-9,
      alpha: 0.05,
      halfWidth: 30,
    });
    expect(summary.epsilon).toBeGreaterThanOrEqual(1.88166029106);
    expect(summary.epsilon).toBeLessThan(1.8816603);
    expect(summary.coverage).toBeGreaterThanOrEqual(0.95);
    expect(summary.noiseVariance).toBeGreaterThanOrEqual(240);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('Polya worked example: eps = 1 exactly, rho 1/2, half-width 29 (43 at 99%)', () => {
    const calibration = calibrateDistributedLaplace({ epsilon: '1', l1Sensitivity: 8n });
    const summary = describeRelease(calibration, { delta: 1e-9 });
    expect(summary).toMatchObject({
      mechanism: 'polya-laplace',
      perParty: { gamma: '1/8', scale: '8' },
      rho: '1/2',
      xi: '0',
      pureEpsilon: '1',
      epsilon: 1,
      halfWidth: 29,
    });
    expect(describeRelease(calibration, { delta: 1e-9, alpha: 0.01 }).halfWidth).toBe(43);
  });

  it('charges xi = tau d per release for DDG and refuses a bad cell count', () => {
    // rho = 1/16 with D2^2 = 1 puts the shares exactly at the floor sigma_s^2 = 4 (tau = 7.157e-17).
    const calibration = calibrateDistributedGaussian({ rho: '1/16', l2SensitivitySquared: 1n });
    expect(calibration.shareSigma2.toString()).toBe('4');
    expect(releaseCharge(calibration, 10).xi.toString()).toBe('3579/5000000000000000000');
    const summary = describeRelease(calibration, { delta: 1e-9, cells: 10 });
    expect(summary.xi).toBe('3579/5000000000000000000');
    expect(() => describeRelease(calibration, { delta: 1e-9, cells: 0 })).toThrowError(
      expect.objectContaining({ code: 'invalid-parameter' }),
    );
    const polya = calibrateDistributedLaplace({ epsilon: '1/2', l1Sensitivity: 1n });
    expect(releaseCharge(polya).rho.toString()).toBe('1/8');
    expect(releaseCharge(polya).xi.isZero()).toBe(true);
  });
});
