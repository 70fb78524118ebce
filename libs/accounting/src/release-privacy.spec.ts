import { describe, expect, it } from 'vitest';
import { Rational } from '#concord/dp';
import { budgetDisplay, privacyCharge } from './budget.js';
import { releasePrivacy } from './release-privacy.js';
import { cdpEpsilon } from './zcdp-conversion.js';

describe('releasePrivacy', () => {
  it('states the release ε from its TOTAL ρ + ξ, the ledger’s figure (6.474 for ρ = 1/2), not a per-output ε', () => {
    const p = releasePrivacy(
      'discrete-gaussian',
      [
        {
          name: 'boardings',
          rho: '1/4',
          xi: '1/1000000000000000000000000000000',
          pureEpsilon: null,
        },
        { name: 'revenue', rho: '1/4', xi: '1/1000000000000000000000000000000', pureEpsilon: null },
      ],
      1e-9,
    );
    expect(p.rho).toBe('1/2');
    expect(p.xi).toBe('1/500000000000000000000000000000');
    // The ledger's display of the same charge gives the same number, to the bit.
    expect(p.epsilon).toBe(budgetDisplay(privacyCharge('1/2', p.xi), 1e-9).epsilon);
    expect(p.epsilonText).toBe('6.475');
    // Not the per-output figure (4.437) nor the simple bound (6.94).
    expect(p.epsilon).toBeGreaterThan(cdpEpsilon(Rational.parse('1/4'), 1e-9));
    expect(p.epsilon).toBeLessThan(6.5);
    expect(p.outputs.map((o) => o.shareOfRho)).toEqual(['1/2', '1/2']);
    expect(p.pureEpsilon).toBeNull();
    expect(p.statement).toContain('ε = 6.475, except with probability δ = 10⁻⁹');
    expect(p.docs).toBe('/docs/privacy.md#accounting');
  });

  it('states a Pólya release as pure ε (0.5 stays 0.5, never 3.06 through ρ)', () => {
    const p = releasePrivacy(
      'polya-laplace',
      [
        { name: 'a', rho: '1/32', xi: '0', pureEpsilon: '1/4' },
        { name: 'b', rho: '1/32', xi: '0', pureEpsilon: '1/4' },
      ],
      1e-9,
    );
    expect(p.pureEpsilon).toBe('1/2');
    expect(p.pureEpsilonText).toBe('0.5');
    expect(p.statement).toContain('pure ε = 0.5');
    expect(p.statement).not.toContain(p.epsilonText);
    expect(p.rho).toBe('1/16');
    expect(p.outputs.map((o) => o.pureEpsilon)).toEqual(['1/4', '1/4']);
  });

  it('speaks of a rider’s day, or of the week or 30 days of a longer window', () => {
    const outputs = [{ name: 'a', rho: '1/2', xi: '0', pureEpsilon: null }];
    expect(releasePrivacy('discrete-gaussian', outputs, 1e-9).statement).toMatch(
      /^Whatever one rider did on the day changes/,
    );
    const week = releasePrivacy('discrete-gaussian', outputs, 1e-9, 7);
    expect(week.statement).toMatch(/^Whatever one rider did over the week changes/);
    expect(week.epsilonText).toBe(releasePrivacy('discrete-gaussian', outputs, 1e-9).epsilonText);
    const month = releasePrivacy('discrete-gaussian', outputs, 1e-9, 30);
    expect(month.statement).toMatch(/^Whatever one rider did over the 30 days changes/);
    expect(month.epsilonText).toBe(week.epsilonText);
  });
});
