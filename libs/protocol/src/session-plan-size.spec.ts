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

/** A catalogue protocol compiled with every public axis holding `size(axis)` keys. */
const compileWith = (id: string, size: (axis: string, maxSize: number) => number) => {
  const e = catalogue.find(id)!;
  return compileSessionPlan(e.analysis, {
    sessionId: 's',
    parameters: { serviceDate: '2026-03-10' },
    axisValues: Object.fromEntries(
      e.analysis.definition.axes.flatMap((a) =>
        'public' in a.source ? [[a.name, keys(size(a.name, a.maxSize), 'k')]] : [],
      ),
    ),
    budget: '1/2',
    parties,
  });
};

const isJoin = (id: string) => catalogue.find(id)!.analysis.definition.join !== undefined;

describe('the plan size bound', () => {
  it('compiles dense per-card rows while capacity × cells fits', () => {
    // 65,536 cards × 15² cells, shared once and broadcast once: 2 × 14,745,600 + small.
    const plan = odFlows(15);
    expect(plan.inputs.find((i) => i.name === 'card_flows')!.length).toBe(65536 * 15 * 15);
    const total =
      plan.inputs.reduce((t, i) => t + i.length, 0) +
      plan.nodes.filter((n) => n.node.op !== 'input').reduce((t, n) => t + n.length, 0);
    expect(total).toBeLessThanOrEqual(MAX_PLAN_ELEMENTS);
    expect(total).toBeGreaterThan(MAX_PLAN_ELEMENTS * 0.85);
  });

  it('refuses a grid past the bound with a typed error naming the size and the limit', () => {
    expect(refusal(() => odFlows(16)).code).toBe('plan-too-large');
    // The medium city's 250 census zones: 65,536 × 62,500 elements per per-card vector.
    const e = refusal(() => odFlows(250));
    expect(e.code).toBe('plan-too-large');
    expect(e.message).toContain('8,192,190,536 shared field elements');
    expect(e.message).toContain('limit of 33,554,432');
    expect(e.message).toContain(
      'input card_flows (card × from_zone × to_zone = 65,536 × 250 × 250 = 4,096,000,000); a request may select fewer values of its public axes',
    );
    // Fare capping by zone on the medium city (the run that stalled the processor's node).
    const capping = refusal(() => compileWith('reduced-fare-capping', () => 250));
    expect(capping.message).toContain('49,218,536 shared field elements');
  });

  it('leaves every non-join protocol within the bound at its declared maximum sizes', () => {
    const plain = catalogue.entries().filter((e) => !isJoin(e.analysis.definition.id));
    expect(plain.length).toBeGreaterThanOrEqual(4);
    for (const e of plain) {
      const id = e.analysis.definition.id;
      expect(() => compileWith(id, (_, max) => max), id).not.toThrow();
    }
  });

  it("compiles the join protocols on the medium city's routes and fare products, and up to 160 zones", () => {
    const joins = catalogue.entries().filter((e) => isJoin(e.analysis.definition.id));
    expect(joins.map((e) => e.analysis.definition.id).sort()).toEqual([
      'reduced-fare-capping',
      'reduced-fare-od-flows',
      'reduced-fare-routes',
      'reduced-fare-use',
    ]);
    // The medium city has 85 routes and fewer than 20 fare products.
    for (const id of ['reduced-fare-use', 'reduced-fare-routes', 'reduced-fare-capping']) {
      const size = (axis: string) => (axis === 'zone' ? 160 : axis === 'route' ? 85 : 20);
      expect(() => compileWith(id, size), id).not.toThrow();
    }
  });
});
