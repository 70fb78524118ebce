import { describe, expect, it } from 'vitest';
import { readCatalogueDirectory } from './catalogue.js';
import { budgetForHalfWidth, protocolAccuracy } from './output-accuracy.js';
import { outputErrorBars } from './output-release.js';
import { compileSessionPlan } from './session-plan.js';

const catalogue = readCatalogueDirectory('protocols');
const entry = catalogue.find('revenue-per-boarding')!;
const cells = (): number => 24;

describe('protocolAccuracy', () => {
  it('gives, before spending, the half-widths the plan then publishes (docs/privacy.md: ±27 boardings at ρ = 1/2)', () => {
    const preview = protocolAccuracy(entry.analysis, '1/2', cells);
    const plan = compileSessionPlan(entry.analysis, {
      sessionId: 's',
      parameters: { serviceDate: '2026-03-10' },
      axisValues: { route: ['R1'] },
      budget: '1/2',
      parties: { transit: 1, payments: 2, planning: 3 },
    });
    expect(preview.outputs.map((o) => o.halfWidth)).toEqual(
      plan.outputs.map((o) => outputErrorBars(o).halfWidth.toString()),
    );
    expect(preview.outputs.find((o) => o.name === 'boardings')!.halfWidth).toBe('27');
    expect(preview.privacy.rho).toBe('1/2');
    expect(preview.privacy.epsilonText).toBe('6.475');
  });

  it('states a 30-day protocol’s ε over the 30 days, with 30 times the daily sensitivity (±815 boardings at ρ = 1/2)', () => {
    const month = catalogue.find('revenue-per-boarding-30-days')!;
    const preview = protocolAccuracy(month.analysis, '1/2', cells);
    expect(preview.privacy.statement).toMatch(/^Whatever one rider did over the 30 days changes/);
    // The same ρ, so the same ε as a day's: what grows is the noise for the larger bound.
    expect(preview.privacy.epsilonText).toBe('6.475');
    expect(preview.outputs.map((o) => o.halfWidth)).toEqual(['815', '50921']);
    // Its cells reach 1.5e9 cents, past the one-residue field: "auto" takes two residues.
    expect(month.analysis.field.id).toBe('rns31x2');
  });

  it('refuses a budget outside the protocol’s range', () => {
    expect(() => protocolAccuracy(entry.analysis, '3', cells)).toThrow(/outside/);
  });

  it('finds the smallest 3-digit budget that reaches a target half-width, and says when none does', () => {
    const [boardings] = budgetForHalfWidth(entry.analysis, 27n, cells, 'boardings');
    expect(boardings.budget).not.toBeNull();
    const at = (b: string): bigint =>
      BigInt(protocolAccuracy(entry.analysis, b, cells).outputs[0].halfWidth);
    expect(at(boardings.budget!)).toBeLessThanOrEqual(27n);
    expect(boardings.achieved).toBe(String(at(boardings.budget!)));
    // One step down the 3-digit grid no longer reaches it.
    const below =
      (Number(boardings.budget!.split('/')[0]) / Number(boardings.budget!.split('/')[1] ?? 1)) *
      0.995;
    expect(at(below.toPrecision(3))).toBeGreaterThan(27n);
    const [tooFine] = budgetForHalfWidth(entry.analysis, 1n, cells, 'boardings');
    expect(tooFine.budget).toBeNull();
    expect(BigInt(tooFine.achieved)).toBeGreaterThan(1n);
  });
});
