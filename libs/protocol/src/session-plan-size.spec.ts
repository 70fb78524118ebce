import { describe, expect, it } from 'vitest';
import { readCatalogueDirectory } from './catalogue.js';
import { ProtocolError } from './protocol-error.js';
import { compileSessionPlan, MAX_PLAN_ELEMENTS } from './session-plan.js';

const catalogue = readCatalogueDirectory('protocols');
const parties = { transit: 1, payments: 2, planning: 3 } as const;
const keys = (n: number, prefix: string): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** The od-flows protocol on `zones` zones (both axes over the same key list). */
const odFlows = (zones: number) =>
  compileSessionPlan(catalogue.find('reduced-fare-od-flows')!.analysis, {
    sessionId: 's',
    parameters: { serviceDate: '2026-03-10' },
    axisValues: { from_zone: keys(zones, 'Z'), to_zone: keys(zones, 'Z') },
    budget: '1/2',
    parties,
  });

function refusal(f: () => unknown): ProtocolError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the plan size bound', () => {
  it('compiles dense per-card rows while capacity × cells fits', () => {
    // 65,536 cards × 45² cells, shared once and broadcast once: 2 × 132,710,400 + small.
    const plan = odFlows(45);
    expect(plan.inputs.find((i) => i.name === 'card_flows')!.length).toBe(65536 * 45 * 45);
    const total =
      plan.inputs.reduce((t, i) => t + i.length, 0) +
      plan.nodes.filter((n) => n.node.op !== 'input').reduce((t, n) => t + n.length, 0);
    expect(total).toBeLessThanOrEqual(MAX_PLAN_ELEMENTS);
    expect(total).toBeGreaterThan(MAX_PLAN_ELEMENTS * 0.9);
  });

  it('refuses a grid past the bound with a typed error naming the size and the limit', () => {
    expect(refusal(() => odFlows(46)).code).toBe('plan-too-large');
    // The medium city's 250 census zones: 65,536 × 62,500 elements per per-card vector.
    const e = refusal(() => odFlows(250));
    expect(e.code).toBe('plan-too-large');
    expect(e.message).toContain('8,192,190,536 shared field elements');
    expect(e.message).toContain('limit of 268,435,456');
    expect(e.message).toContain(
      'input card_flows (card × from_zone × to_zone = 65,536 × 250 × 250 = 4,096,000,000)',
    );
  });

  it('leaves every other catalogue protocol within the bound at its declared maximum sizes', () => {
    const others = catalogue
      .entries()
      .filter((e) => e.analysis.definition.id !== 'reduced-fare-od-flows');
    expect(others.length).toBeGreaterThan(0);
    for (const e of others) {
      const d = e.analysis.definition;
      expect(
        () =>
          compileSessionPlan(e.analysis, {
            sessionId: 's',
            parameters: { serviceDate: '2026-03-10' },
            axisValues: Object.fromEntries(
              d.axes.flatMap((a) => ('public' in a.source ? [[a.name, keys(a.maxSize, 'k')]] : [])),
            ),
            budget: '1/2',
            parties,
          }),
        d.id,
      ).not.toThrow();
    }
  });
});
