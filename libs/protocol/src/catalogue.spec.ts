import { describe, expect, it } from 'vitest';
import { readCatalogueDirectory } from './catalogue.js';
import { compileSessionPlan, planHash } from './session-plan.js';

const catalogue = readCatalogueDirectory('protocols');
const parties = { transit: 1, payments: 2, planning: 3 } as const;

describe('the protocols/ catalogue', () => {
  it('loads every protocol with a field that holds every released output', () => {
    expect(catalogue.entries().length).toBeGreaterThan(0);
    for (const e of catalogue.entries()) {
      for (const o of e.analysis.outputs)
        expect(o.releasedMagnitude <= e.analysis.field.maxMagnitude).toBe(true);
    }
  });

  it('derives revenue per boarding sensitivities from the declared contribution caps', () => {
    const e = catalogue.find('revenue-per-boarding')!;
    const byName = Object.fromEntries(e.analysis.outputs.map((o) => [o.name, o]));
    expect(byName.boardings.sensitivity).toEqual({ l1: 8n, l2Squared: 64n });
    expect(byName.revenue.sensitivity).toEqual({ l1: 500n, l2Squared: 250000n });
    expect(e.analysis.multiplicationRounds).toBe(0);
  });

  it('compiles a plan whose noise spends exactly the budget, and whose hash binds every field', () => {
    const e = catalogue.find('revenue-per-boarding')!;
    const request = {
      sessionId: 'session-1',
      parameters: { serviceDate: '2026-03-10' },
      axisValues: { route: ['R1', 'R2', 'R3'] },
      budget: '1/2',
      parties,
    };
    const plan = compileSessionPlan(e.analysis, request);
    expect(plan.budget.rho).toBe('1/2');
    expect(plan.outputs.map((o) => [o.name, o.length, o.rho, o.noise])).toEqual([
      // ρ = 1/4 each: σ² = 64 / (2 · 1/4) = 128, each of two honest parties samples σ²/2.
      ['boardings', 72, '1/4', { mechanism: 'discrete-gaussian', shareSigma2: '64' }],
      ['revenue', 72, '1/4', { mechanism: 'discrete-gaussian', shareSigma2: '250000' }],
    ]);
    const hash = planHash(plan);
    expect(planHash(compileSessionPlan(e.analysis, request))).toBe(hash);
    expect(planHash(compileSessionPlan(e.analysis, { ...request, budget: '1/3' }))).not.toBe(hash);
    expect(
      planHash(compileSessionPlan(e.analysis, { ...request, sessionId: 'session-2' })),
    ).not.toBe(hash);
    expect(
      planHash(
        compileSessionPlan(e.analysis, { ...request, axisValues: { route: ['R1', 'R3', 'R2'] } }),
      ),
    ).not.toBe(hash);
  });

  it('refuses bad requests with typed errors', () => {
    const e = catalogue.find('revenue-per-boarding')!;
    const base = {
      sessionId: 's',
      parameters: { serviceDate: '2026-03-10' },
      axisValues: { route: ['R1'] },
      budget: '1/2',
      parties,
    };
    const codeOf = (f: () => unknown): string => {
      try {
        f();
        return 'none';
      } catch (err) {
        return (err as { code?: string }).code ?? 'other';
      }
    };
    expect(codeOf(() => compileSessionPlan(e.analysis, { ...base, budget: '5' }))).toBe(
      'invalid-budget',
    );
    expect(codeOf(() => compileSessionPlan(e.analysis, { ...base, budget: 'lots' }))).toBe(
      'invalid-budget',
    );
    expect(
      codeOf(() =>
        compileSessionPlan(e.analysis, { ...base, parameters: { serviceDate: '2026-02-30' } }),
      ),
    ).toBe('invalid-parameters');
    expect(
      codeOf(() =>
        compileSessionPlan(e.analysis, {
          ...base,
          parameters: { serviceDate: '2026-03-10', x: 1 },
        }),
      ),
    ).toBe('invalid-parameters');
    expect(
      codeOf(() =>
        compileSessionPlan(e.analysis, { ...base, axisValues: { route: ['R1', 'R1'] } }),
      ),
    ).toBe('invalid-axis-values');
    expect(
      codeOf(() => compileSessionPlan(e.analysis, { ...base, axisValues: { route: [] } })),
    ).toBe('invalid-axis-values');
    expect(
      codeOf(() => compileSessionPlan(e.analysis, { ...base, axisValues: { route: ['a b'] } })),
    ).toBe('invalid-axis-values');
  });
});
