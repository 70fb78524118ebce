import { describe, expect, it } from 'vitest';
import { outputDecimals } from '#concord/engine';
import { fieldById, fromBigInts, vectorToBytes } from '#concord/field';
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

  it('re-encodes canonical decimals as the field elements the digest covers', () => {
    const decoded = decodeReportedValues(plan, good)!;
    expect(decoded.map((o) => [o.name, outputDecimals(o)])).toEqual(
      good.map((o) => [o.name, o.values]),
    );
  });

  describe('limbs in a binary frame', () => {
    const field = fieldById(plan.field);
    const asLimbs: ReportedOutput[] = plan.outputs.map((o, k) => ({
      name: o.name,
      limbs: vectorToBytes(
        fromBigInts(
          field,
          Array.from({ length: o.length }, (_, i) => BigInt((i - 5) * (k + 1))),
        ),
      ),
    }));

    it('takes canonical limbs as the same vectors the decimals give', () => {
      const decoded = decodeReportedValues(plan, asLimbs)!;
      expect(decoded.map((o) => [o.name, outputDecimals(o)])).toEqual(
        good.map((o) => [o.name, o.values]),
      );
    });

    it('refuses a limb at or above its prime, a wrong length, both forms and neither', () => {
      const withFirst = (o: Partial<ReportedOutput>): ReportedOutput[] => [
        { name: asLimbs[0].name, ...o },
        ...asLimbs.slice(1),
      ];
      const limbs = asLimbs[0].limbs!;
      const notCanonical = new Uint8Array(limbs);
      new DataView(notCanonical.buffer).setUint32(8, field.primes[0], true);
      expect(decodeReportedValues(plan, withFirst({ limbs: notCanonical }))).toBeUndefined();
      expect(decodeReportedValues(plan, withFirst({ limbs: limbs.slice(4) }))).toBeUndefined();
      expect(
        decodeReportedValues(plan, withFirst({ limbs: new Uint8Array([...limbs, 0, 0, 0, 0]) })),
      ).toBeUndefined();
      expect(
        decodeReportedValues(plan, withFirst({ limbs, values: good[0].values })),
      ).toBeUndefined();
      expect(decodeReportedValues(plan, withFirst({}))).toBeUndefined();
      // The same bytes unchanged are taken: the refusals above are the changes'.
      expect(decodeReportedValues(plan, withFirst({ limbs }))).toBeDefined();
    });
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
    expect(outputDecimals(decoded[0])).toBe(wide[0].values);
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
