import { describe, expect, it } from 'vitest';
import { outputDecimals } from '#concord/engine';
import { compileSessionPlan, readCatalogueDirectory, type SessionPlan } from '#concord/protocol';
import { decodeReportedValues, type ReportedOutput } from './reported-values.js';

function revenuePlan(): SessionPlan {
  const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
  return compileSessionPlan(entry.analysis, {
    sessionId: 'reported-values-spec',
    parameters: { serviceDate: '2026-03-10' },
    axisValues: { route: ['R1'] },
    budget: '1/2',
    parties: { transit: 1, payments: 2, planning: 3 },
  });
}

describe('decodeReportedValues', () => {
  const plan = revenuePlan();
  const cells = plan.outputs[0].length;
  const csv = (f: (i: number) => string): string =>
    Array.from({ length: cells }, (_, i) => f(i)).join(',');
  const good: ReportedOutput[] = plan.outputs.map((o, k) => ({
    name: o.name,
    values: csv((i) => String((i - 5) * (k + 1))),
  }));

  it('splits canonical decimals and re-encodes each as the field element the digest covers', () => {
    const decoded = decodeReportedValues(plan, good)!;
    expect(decoded.values.map((v) => v.join(','))).toEqual(good.map((o) => o.values));
    expect(decoded.opened.map((o) => [o.name, outputDecimals(o)])).toEqual(
      good.map((o) => [o.name, o.values]),
    );
  });

  it('refuses values that do not fit the plan', () => {
    const withFirst = (values: string): ReportedOutput[] => [
      { ...good[0], values },
      ...good.slice(1),
    ];
    expect(decodeReportedValues(plan, good.slice(1))).toBeUndefined(); // an output missing
    expect(decodeReportedValues(plan, [good[1], good[0]])).toBeUndefined(); // out of order
    expect(decodeReportedValues(plan, withFirst(csv(() => '1') + ',1'))).toBeUndefined(); // too long
    expect(
      decodeReportedValues(plan, withFirst(csv((i) => (i === 3 ? '07' : '7')))),
    ).toBeUndefined();
    expect(
      decodeReportedValues(plan, withFirst(csv((i) => (i === 3 ? '-0' : '0')))),
    ).toBeUndefined();
    // Far outside the field's signed range.
    expect(decodeReportedValues(plan, withFirst(csv(() => '9'.repeat(60))))).toBeUndefined();
  });
});
