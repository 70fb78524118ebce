import { describe, expect, it } from 'vitest';
import { readCatalogueDirectory } from '#concord/protocol';
import { presentReport } from './report.presenter.js';
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
        { name: 'boardings', title: 'Boardings', unit: 'boardings', axes: ['route', 'hour'] },
        { name: 'revenue', title: 'Fare revenue', unit: 'cents', axes: ['route', 'hour'] },
      ],
      axes: [
        { name: 'route', values: ['R1'] },
        { name: 'hour', range: [0, 3] },
      ],
      budget: { mechanism: 'discrete-gaussian', value: '1/2', rho: '1/2' },
    } as unknown as Session['plan'],
    planHash: 'h',
    budgetRho: '1/2',
    requestId: 'r',
    requestedBy: 'a',
    error: null,
    transcriptHead: null,
    createdAt: new Date(0),
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
  });

  it('has no outputs or ratios before results exist', () => {
    const report = presentReport({ ...session(), state: 'running' }, [], [], entry);
    expect([report.outputs, report.derived]).toEqual([[], []]);
  });
});
