import { describe, expect, it } from 'vitest';
import { outputDecimals } from '#concord/engine';
import { compileSessionPlan, readCatalogueDirectory, type SessionPlan } from '#concord/protocol';
import type { ReportedOutput } from './events.js';
import { decodeReportedValues } from './reported-values.js';

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

  it('re-encodes canonical decimals as the field elements the digest covers, keeping the text', () => {
    const decoded = decodeReportedValues(plan, good)!;
    expect(decoded.texts).toEqual(good.map((o) => o.values));
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

  it('takes values of more than 15 digits exactly, on the slow path', () => {
    // 2^53 + 1 is not a double; the text must survive exactly, and so must the field element.
    // (The same plan over three 31-bit limbs, so such values are in range.)
    const widePlan: SessionPlan = { ...plan, field: 'rns31x3' };
    const wide = [
      {
        ...good[0],
        values: csv((i) => (i === 2 ? '9007199254740993' : '-' + String(10n ** 15n + BigInt(i)))),
      },
      ...good.slice(1),
    ];
    const decoded = decodeReportedValues(widePlan, wide)!;
    expect(decoded.texts[0]).toBe(wide[0].values);
    expect(outputDecimals(decoded.opened[0])).toBe(wide[0].values);
    const zeroPadded = csv((i) => (i === 0 ? '0' + '1'.repeat(16) : '1'));
    expect(
      decodeReportedValues(plan, [{ ...good[0], values: zeroPadded }, ...good.slice(1)]),
    ).toBeUndefined();
  });

  it('refuses anything but comma-separated decimals, whatever the validator let through', () => {
    for (const bad of [
      csv(() => '1') + ',', // a trailing comma
      csv((i) => (i === 1 ? '' : '1')), // an empty value
      csv((i) => (i === 1 ? '--1' : '1')),
      csv((i) => (i === 1 ? '1-2' : '1')),
      csv((i) => (i === 1 ? '+1' : '1')),
      csv((i) => (i === 1 ? '1e3' : '1')),
      csv((i) => (i === 1 ? ' 1' : '1')),
      '',
    ]) {
      expect(
        decodeReportedValues(plan, [{ ...good[0], values: bad }, ...good.slice(1)]),
      ).toBeUndefined();
    }
  });
});
