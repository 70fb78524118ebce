import { describe, expect, it } from 'vitest';
import { randomBelow, seededRandom } from '#concord/crypto';
import { discreteGaussianSumNoise, sliceHalfWidth } from '#concord/accounting';
import { readCatalogueDirectory } from '#concord/protocol';
import { presentReport, ratioInterval } from './report.presenter.js';
import type { ReleasedOutput, Session } from './session.js';

const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;

function session(): Session {
  return {
    id: 's',
    protocol: { id: 'revenue-per-boarding', version: '1.0.0', hash: entry.hash, title: 't' },
    state: 'completed',
    parameters: { serviceDate: '2026-03-10' },
    plan: {
      outputs: [
        {
          name: 'boardings',
          title: 'Boardings',
          unit: 'boardings',
          axes: ['route', 'hour'],
          rho: '1/4',
          xi: '0',
          epsilon: null,
          noise: { mechanism: 'discrete-gaussian', shareSigma2: '64' },
        },
        {
          name: 'revenue',
          title: 'Fare revenue',
          unit: 'cents',
          axes: ['route', 'hour'],
          rho: '1/4',
          xi: '0',
          epsilon: null,
          noise: { mechanism: 'discrete-gaussian', shareSigma2: '64' },
        },
      ],
      axes: [
        { name: 'route', values: ['R1'] },
        { name: 'hour', range: [0, 3] },
      ],
      budget: { mechanism: 'discrete-gaussian', value: '1/2', rho: '1/2' },
      privacyUnit: { entity: 'rider', window: '2026-03-10', scope: 'fares-and-ridership' },
    } as unknown as Session['plan'],
    planHash: 'h',
    budgetRho: '1/2',
    requestId: 'r',
    requestedBy: 'a',
    error: null,
    transcriptHead: null,
    createdAt: new Date(0),
    admittedAt: new Date(0),
    completedAt: null,
  };
}

const output = (name: string, values: bigint[]): ReleasedOutput => ({
  name,
  unit: 'x',
  values: values.map(String),
  intervalHalfWidth: 7n,
  confidenceLevel: '0.95',
  noise: {},
});

describe('report presentation', () => {
  it('shows noisy values, interval widths, the grid, and ratios rounded exactly to cents', () => {
    const report = presentReport(
      session(),
      [output('boardings', [3n, 0n, -2n, 7n]), output('revenue', [200n, 50n, 100n, -101n])],
      [],
      entry,
    );
    expect(report.grid).toEqual([
      { name: 'route', values: ['R1'] },
      { name: 'hour', range: [0, 3], values: ['0', '1', '2', '3'] },
    ]);
    expect(report.outputs.map((o) => [o.name, o.values, o.intervalHalfWidth])).toEqual([
      ['boardings', ['3', '0', '-2', '7'], '7'],
      ['revenue', ['200', '50', '100', '-101'], '7'],
    ]);
    // 200/3 = 66.666… → 66.67; a non-positive noisy denominator has no ratio; −101/7 = −14.428… → −14.43.
    expect(report.derived[0].values).toEqual(['66.67', null, null, '-14.43']);
    // Half-widths 7: only a denominator whose whole interval is positive bounds the ratio.
    expect(report.derived[0].confidenceLevel).toBe('0.9');
    expect(report.derived[0].intervals).toEqual([null, null, null, null]);
    expect(report.derived[0].reasons[0]).toBe(
      'not estimable at this budget: the boardings released (3 ± 7) may be zero or negative, so the ratio is unbounded',
    );
    // The one slice this grid allows (all 4 hours of the one route): the exact sum's interval.
    expect(report.outputs[0].sliceHalfWidths).toEqual([
      { cells: 4, halfWidth: String(sliceHalfWidth(discreteGaussianSumNoise(64n, 3), 4)) },
    ]);
  });

  it('states one ε for the release, from its total ρ (6.475 at ρ = 1/2), and each output’s share', () => {
    const report = presentReport(session(), [], [], entry);
    expect(report.privacy).toMatchObject({ rho: '1/2', epsilonText: '6.475', delta: 1e-9 });
    expect(report.privacy.outputs.map((o) => [o.name, o.rho, o.shareOfRho])).toEqual([
      ['boardings', '1/4', '1/2'],
      ['revenue', '1/4', '1/2'],
    ]);
  });

  it('bounds a ratio by interval arithmetic, rounded outward, whatever the signs', () => {
    // (200 ± 7) / (30 ± 7): 193/37 = 5.2162… down, 207/23 = 9 exactly.
    expect(ratioInterval(200n, 7n, 30n, 7n, 2)).toEqual(['5.21', '9.00']);
    // (3 ± 7) / (30 ± 7): the lower numerator is negative, so it is divided by the smallest
    // denominator: −4/23 = −0.1739… down to −0.18; 10/23 = 0.4347… up to 0.44.
    expect(ratioInterval(3n, 7n, 30n, 7n, 2)).toEqual(['-0.18', '0.44']);
    // (−20 ± 7) / (30 ± 7): −27/23 = −1.1739… → −1.18; −13/37 = −0.3513… → −0.35.
    expect(ratioInterval(-20n, 7n, 30n, 7n, 2)).toEqual(['-1.18', '-0.35']);
    // Shares to four decimals: (50 ± 7) / (1000 ± 7).
    // 43/1007 = 0.04270… down, 57/993 = 0.05740… up.
    expect(ratioInterval(50n, 7n, 1000n, 7n, 4)).toEqual(['0.0427', '0.0575']);
    // The denominator's interval reaches zero: unbounded.
    expect(ratioInterval(50n, 7n, 7n, 7n, 2)).toBeNull();
  });

  it('gives an interval that holds the exact ratio whenever both values are within their bars', () => {
    const rng = seededRandom('presenter/ratio-interval');
    for (let trial = 0; trial < 2000; trial++) {
      const pick = (lo: number, hi: number): bigint =>
        BigInt(lo) + randomBelow(rng, BigInt(hi - lo + 1));
      const [h1, h2] = [pick(0, 50), pick(0, 50)];
      const [n, d] = [pick(-500, 5000), pick(1, 5000)];
      const [yn, yd] = [n + pick(-Number(h1), Number(h1)), d + pick(-Number(h2), Number(h2))];
      const bounds = ratioInterval(yn, h1, yd, h2, 2);
      if (bounds === null) continue;
      const exact = Number(n) / Number(d);
      expect(Number(bounds[0])).toBeLessThanOrEqual(exact);
      expect(Number(bounds[1])).toBeGreaterThanOrEqual(exact);
    }
  });

  it('has no outputs or ratios before results exist', () => {
    const report = presentReport({ ...session(), state: 'running' }, [], [], entry);
    expect([report.outputs, report.derived]).toEqual([[], []]);
  });

  it('serves the stored unit, values, interval and level: what the export’s release digest covers', () => {
    const stored = [output('revenue', [5n, 6n, 7n, 8n]), output('boardings', [1n, 2n, 3n, 4n])];
    const report = presentReport(session(), stored, [], entry);
    expect(report.outputs.map((o) => [o.name, o.unit, o.values, o.confidenceLevel])).toEqual([
      ['boardings', 'x', ['1', '2', '3', '4'], '0.95'],
      ['revenue', 'x', ['5', '6', '7', '8'], '0.95'],
    ]);
  });

  it('serves no values of an aborted session, even a release stored before it aborted', () => {
    const stored = [output('boardings', [1n, 2n, 3n, 4n]), output('revenue', [5n, 6n, 7n, 8n])];
    const report = presentReport({ ...session(), state: 'aborted' }, stored, [], entry);
    expect([report.outputs, report.derived]).toEqual([[], []]);
  });
});
