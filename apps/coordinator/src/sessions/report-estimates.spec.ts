import { describe, expect, it } from 'vitest';
import { readCatalogueDirectory } from '#concord/protocol';
import { presentReport } from './report.presenter.js';
import { ESTIMATE_LABEL, withEstimates } from './report-estimates.js';
import type { ReleasedOutput, Session } from './session.js';

const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;

const planOutput = (name: string) => ({
  name,
  title: name,
  unit: 'x',
  axes: ['route', 'hour'],
  rho: '1/4',
  xi: '0',
  epsilon: null,
  noise: { mechanism: 'discrete-gaussian', shareSigma2: '64' },
});

function session(mechanism = 'discrete-gaussian'): Session {
  return {
    id: 's',
    protocol: { id: 'revenue-per-boarding', version: '1.0.0', hash: entry.hash, title: 't' },
    state: 'completed',
    parameters: { serviceDate: '2026-03-10' },
    plan: {
      outputs: [planOutput('boardings'), planOutput('revenue')],
      axes: [
        { name: 'route', values: ['R1', 'R2', 'R3'] },
        { name: 'hour', range: [0, 3] },
      ],
      budget: { mechanism, value: '1/2', rho: '1/2' },
      privacyUnit: { entity: 'rider', window: '2026-03-10', scope: 'fares-and-ridership' },
    } as unknown as Session['plan'],
    planHash: 'h',
    budgetRho: '1/2',
    requestId: 'r',
    requestedBy: 'a',
    error: null,
    transcriptHead: 'head',
    createdAt: new Date(0),
    admittedAt: new Date(0),
    completedAt: null,
  };
}

const output = (name: string, values: number[]): ReleasedOutput => ({
  name,
  unit: 'x',
  values: values.map(String),
  intervalHalfWidth: 7n,
  confidenceLevel: '0.95',
  noise: {},
});

const boardings = [3, 0, -2, 7, 12, -5, 4, 1, -1, -3, 9, 2];
const revenue = [200, 50, 100, -101, 0, 0, 30, -9, 400, 12, -7, 88];

function report(s = session()) {
  return presentReport(s, [output('boardings', boardings), output('revenue', revenue)], [], entry);
}

describe('post-processed estimates in a report', () => {
  it('are labelled, non-negative and consistent with the non-negative margins of the cells', () => {
    const withThem = withEstimates(report(), session().plan, 'revenue-per-boarding');
    for (const o of withThem.outputs) {
      const e = o.estimates!;
      expect(e.label).toBe(ESTIMATE_LABEL);
      if (!('values' in e)) throw new Error(`no estimates: ${e.unavailable}`);
      expect(e.values).toHaveLength(12);
      expect(Math.min(...e.values)).toBeGreaterThanOrEqual(0);
      expect(e.maxMarginError).toBeLessThanOrEqual(e.marginTolerance);
      expect(e.note).toMatch(/Not the release/);
      const raw = o.values.map(Number);
      const total = raw.reduce((s, v) => s + v, 0);
      expect(e.values.reduce((s, v) => s + v, 0)).toBeCloseTo(Math.max(0, total), 6);
      // Every route total here is non-negative, so the estimate keeps each one exactly.
      for (let r = 0; r < 3; r += 1) {
        const rowRaw = raw.slice(r * 4, r * 4 + 4).reduce((s, v) => s + v, 0);
        const rowEst = e.values.slice(r * 4, r * 4 + 4).reduce((s, v) => s + v, 0);
        expect(Math.abs(rowEst - rowRaw)).toBeLessThanOrEqual(e.marginTolerance);
      }
      expect(e.statedError?.budget).toBe('1/2');
      expect(e.statedError!.estimateRmse).toBeGreaterThan(0);
    }
  });

  it('never change the raw release: values, intervals and transcript head are as without them', () => {
    const plain = report();
    const withThem = withEstimates(plain, session().plan, 'revenue-per-boarding');
    const { outputs: estimatedOutputs, ...rest } = withThem;
    const { outputs: plainOutputs, ...plainRest } = plain;
    expect(rest).toEqual(plainRest);
    expect(estimatedOutputs.map(({ estimates: _e, ...o }) => o)).toEqual(plainOutputs);
    expect(plain.outputs.every((o) => o.estimates === undefined)).toBe(true);
  });

  it('are deterministic', () => {
    const a = withEstimates(report(), session().plan, 'revenue-per-boarding');
    const b = withEstimates(report(), session().plan, 'revenue-per-boarding');
    expect(a.outputs.map((o) => o.estimates)).toEqual(b.outputs.map((o) => o.estimates));
  });

  it('state the reason when no simulation covers the release (a Pólya budget)', () => {
    const s = session('polya-laplace');
    const e = withEstimates(report(s), s.plan, 'revenue-per-boarding').outputs[0].estimates!;
    if (!('values' in e)) throw new Error('expected estimates');
    expect(e.statedError).toBeNull();
    expect(e.statedErrorReason).toMatch(/not measured/);
  });
});
